namespace Gateway.Service.Referrals;

/// <summary>
/// A sealed message on its way to a peer, with what the consent gate and minimiser decided. The envelope is
/// encrypted to the recipient; <see cref="Content"/> is the disclosed payload encrypted with the node's content key.
/// Erasure and retention remove both and keep the rest.
/// </summary>
public sealed record OutboundMessage
{
    public required Guid MessageId { get; init; }

    public required string PeerId { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public Guid? InReplyTo { get; init; }

    public required string Purpose { get; init; }

    public string? LegalBasis { get; init; }

    public Guid? ConsentId { get; init; }

    /// <summary>The written justification of a VitalInterests disclosure: shown to operators and auditors.</summary>
    public string? Justification { get; init; }

    public required string DisclosureProfile { get; init; }

    /// <summary>Names of the fields disclosed (never values).</summary>
    public required IReadOnlyList<string> DisclosedFields { get; init; }

    /// <summary>Subject of the client certificate that submitted it, or <c>system</c>.</summary>
    public required string SubmittedBy { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>Null once erased or purged.</summary>
    public byte[]? Envelope { get; init; }

    public byte[]? Content { get; init; }

    public DateTimeOffset? ContentErasedAt { get; init; }

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
