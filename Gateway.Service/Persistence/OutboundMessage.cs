namespace Gateway.Service.Persistence;

/// <summary>A sealed message on its way to a peer. The envelope is encrypted to the recipient, so the row holds no plaintext.</summary>
public sealed record OutboundMessage
{
    public required Guid MessageId { get; init; }

    public required string PeerId { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public string? IdempotencyKey { get; init; }

    public required byte[] Envelope { get; init; }

    public required DeliveryState State { get; init; }

    public int Attempts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>After this the message is no longer attempted: it fails with TTL_EXPIRED.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    public required DateTimeOffset NextAttemptAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>The peer's signed receipt (CMS), once delivered: the proof of delivery.</summary>
    public byte[]? Receipt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }
}
