namespace Gateway.Service.Audit;

/// <summary>
/// One line of the audit log: who did what to which message, peer or conversation. <see cref="Detail"/> holds
/// names and codes (e.g. the names of disclosed fields), never values from a referral.
/// </summary>
public sealed record AuditEntry
{
    public long Sequence { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Client certificate subject, a peer id, or <c>system</c>.</summary>
    public required string Actor { get; init; }

    public required string Action { get; init; }

    public Guid? MessageId { get; init; }

    public string? PeerId { get; init; }

    public string? ConversationId { get; init; }

    public string? Detail { get; init; }

    /// <summary>The hash of the line before (<see cref="AuditChain.Genesis"/> for the first).</summary>
    public string PreviousHash { get; init; } = AuditChain.Genesis;

    /// <summary>SHA-256 over this line's fields and <see cref="PreviousHash"/> (<see cref="AuditChain.HashOf"/>).</summary>
    public string Hash { get; init; } = string.Empty;
}
