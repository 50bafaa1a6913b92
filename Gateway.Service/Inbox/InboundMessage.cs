namespace Gateway.Service.Inbox;

/// <summary>
/// An envelope a peer delivered, kept exactly as received (encrypted to this node, so content is encrypted at
/// rest by construction), with the receipt this node signed for it and the header fields needed without opening
/// it. Erasure and retention remove the envelope and keep the rest.
/// </summary>
public sealed record InboundMessage
{
    public required Guid MessageId { get; init; }

    public required string SenderId { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public Guid? InReplyTo { get; init; }

    public string? Purpose { get; init; }

    public string? LegalBasis { get; init; }

    public string? DisclosureProfile { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Null once the content was erased.</summary>
    public byte[]? Envelope { get; init; }

    public required string EnvelopeSha256 { get; init; }

    public required byte[] Receipt { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>When the node acted on it (erasure, confirmation) and published its event.</summary>
    public DateTimeOffset? ProcessedAt { get; init; }

    /// <summary>When its MessageReceived event was published (at least once).</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    public DateTimeOffset? ContentErasedAt { get; init; }

    /// <summary><c>CONSENT_WITHDRAWN</c> or <c>RETENTION</c>.</summary>
    public string? ErasureReason { get; init; }
}
