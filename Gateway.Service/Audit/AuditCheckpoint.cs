namespace Gateway.Service.Audit;

/// <summary>The chain's head at a moment, signed by the node: rewriting the chain behind it is caught by the signature.</summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTimeOffset At, byte[] Signature);
