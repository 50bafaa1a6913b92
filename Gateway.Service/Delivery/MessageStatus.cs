using System.Text.Json;
using Gateway.Service.Referrals;

namespace Gateway.Service.Delivery;

/// <summary>A sent message: where it stands, its receipt, what it disclosed, and (until erased) its content.</summary>
public sealed record MessageStatus
{
    public required Guid MessageId { get; init; }

    public required string Recipient { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public Guid? InReplyTo { get; init; }

    public required string Purpose { get; init; }

    public string? LegalBasis { get; init; }

    public Guid? ConsentId { get; init; }

    public required string DisclosureProfile { get; init; }

    public required IReadOnlyList<string> DisclosedFields { get; init; }

    public required DeliveryState State { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>The signed receipt (CMS, base64): the proof of delivery.</summary>
    public string? Receipt { get; init; }

    public DateTimeOffset? ContentErasedAt { get; init; }

    /// <summary>The payload as sent (header and body); absent once erased or purged.</summary>
    public JsonElement? Content { get; init; }

    public required IReadOnlyList<DeliveryAttempt> Attempts { get; init; }
}
