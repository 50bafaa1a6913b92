namespace Gateway.Contracts.Receipts;

/// <summary>
/// What a receiver signs once it has verified, decrypted, validated and durably stored an envelope (DESIGN §3).
/// </summary>
public sealed record Receipt
{
    public required Guid MessageId { get; init; }

    /// <summary>Lower-case hex SHA-256 of the envelope bytes exactly as received.</summary>
    public required string EnvelopeSha256 { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Node id of the node that signs the receipt.</summary>
    public required string Receiver { get; init; }

    /// <summary>Node id of the node that sent the envelope.</summary>
    public required string Sender { get; init; }

    public required ReceiptStatus Status { get; init; }
}
