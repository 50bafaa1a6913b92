namespace Gateway.Tests.Faults;

/// <summary>The numbers of one scenario run, one JSON line in <c>fault-results.jsonl</c> (docs/reliability.md quotes them).</summary>
internal sealed record FaultResult
{
    public required string Scenario { get; init; }

    public required DateTimeOffset At { get; init; }

    public required int Referrals { get; init; }

    public required int Accepted { get; init; }

    public required int SenderMessages { get; init; }

    public required int Delivered { get; init; }

    public required int ReceiptsVerified { get; init; }

    public required int ReceiverMessages { get; init; }

    public required int Lost { get; init; }

    public required int Duplicated { get; init; }

    public required int AuditLinesMissing { get; init; }

    /// <summary>From the first POST to the last 202, fault included.</summary>
    public required double AcceptSeconds { get; init; }

    public required int FaultAtAccepted { get; init; }

    /// <summary>From injecting the fault to healing it; null when nothing is healed (the node or broker node stays down).</summary>
    public double? OutageSeconds { get; init; }

    /// <summary>From the heal (or, without one, the fault) to the last message Delivered at the sender.</summary>
    public required double RecoverySeconds { get; init; }

    /// <summary>Delivery attempts over all messages (1,000 means every message went through on its first attempt).</summary>
    public required int AttemptsTotal { get; init; }

    public required int MessagesRetried { get; init; }

    /// <summary>POSTs the caseworker's client sent again (same Idempotency-Key) after no answer or a 5xx.</summary>
    public required int ClientRetries { get; init; }

    /// <summary>The whole scenario: processes started, batch, fault, delivery and verification.</summary>
    public required double ScenarioSeconds { get; init; }

    /// <summary>Scenario-specific timings (e.g. how long the broker cluster took to start).</summary>
    public IReadOnlyDictionary<string, double> Extra { get; init; } = new Dictionary<string, double>();
}
