namespace Gateway.Service.Referrals;

/// <summary>
/// A sealed message on its way to a peer, with what the consent gate and minimiser decided. <see cref="Envelope"/> (as
/// sealed for the recipient) and <see cref="Content"/> (the disclosed payload) are kept sealed under the data key of the
/// message's case (DESIGN §15); erasing the case destroys that key. Erasure and retention remove both and keep the rest.
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

    /// <summary>For LegalObligation, the provision that obliges (from configuration). Never free text of a person's.</summary>
    public string? Justification { get; init; }

    /// <summary>The written justification of a VitalInterests disclosure, sealed under the case's key (<see cref="Keys.SealedPurpose.Justification"/>).</summary>
    public byte[]? JustificationSealed { get; init; }

    /// <summary>SHA-256 of the VitalInterests justification: what the audit log and operators see of it.</summary>
    public string? JustificationSha256 { get; init; }

    public required string DisclosureProfile { get; init; }

    /// <summary>Names of the fields disclosed (never values).</summary>
    public required IReadOnlyList<string> DisclosedFields { get; init; }

    /// <summary>The id of the person who submitted it, or <c>system</c>.</summary>
    public required string SubmittedBy { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>The envelope sealed under the case's key; null once erased or purged.</summary>
    public byte[]? Envelope { get; init; }

    /// <summary>The payload as sent, sealed under the case's key; null once erased or purged.</summary>
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
