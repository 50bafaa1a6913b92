namespace Gateway.Tests.Faults;

/// <summary>What both nodes' databases show once delivery settled, and every way it differs from exactly-once.</summary>
internal sealed record DeliveryReport
{
    public required int Accepted { get; init; }

    /// <summary>Rows in the sender's outbound table: more than <see cref="Accepted"/> means a retry made a second message.</summary>
    public required int SenderMessages { get; init; }

    public required int Delivered { get; init; }

    public required int ReceiptsVerified { get; init; }

    public required int ReceiverMessages { get; init; }

    /// <summary>Accepted ids missing at the receiver.</summary>
    public required int Lost { get; init; }

    /// <summary>Ids the receiver accepted more than once (a second MessageReceived audit line), or messages beyond those accepted.</summary>
    public required int Duplicated { get; init; }

    /// <summary>Accepted ids stored at the receiver without their MessageReceived audit line.</summary>
    public required int AuditLinesMissing { get; init; }

    public required int AttemptsTotal { get; init; }

    public required int MessagesRetried { get; init; }

    public DateTimeOffset? LastDeliveredAt { get; init; }

    /// <summary>One line: delivery (lost, duplicated, receipts) first, then the receiver's audit trail.</summary>
    public string Summary =>
        $"delivery: {Lost} lost, {Duplicated} duplicated, {Delivered}/{Accepted} Delivered, {ReceiptsVerified} receipts verified, "
        + $"{SenderMessages} messages at the sender, {ReceiverMessages} at the receiver; audit: {AuditLinesMissing} MessageReceived line(s) missing";

    /// <summary>Each problem with the ids, states, attempts and log lines that show it; empty when delivery was exactly-once.</summary>
    public required IReadOnlyList<string> Problems { get; init; }
}
