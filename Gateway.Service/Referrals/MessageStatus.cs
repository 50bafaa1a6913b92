using Gateway.Service.Persistence;

namespace Gateway.Service.Referrals;

/// <summary>Where a sent message stands: metadata and the receipt, never the content.</summary>
public sealed record MessageStatus
{
    public required Guid MessageId { get; init; }

    public required string Recipient { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public required DeliveryState State { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>The signed receipt (CMS, base64): the proof of delivery.</summary>
    public string? Receipt { get; init; }

    public required IReadOnlyList<DeliveryAttempt> Attempts { get; init; }
}
