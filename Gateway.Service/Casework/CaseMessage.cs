using Gateway.Service.Referrals;

namespace Gateway.Service.Casework;

/// <summary>
/// One message of a case's timeline, sent or received: type, parties, state, whether its receipt verified, the names
/// of the fields it disclosed (sent) — never values — and whether its content is erased.
/// </summary>
public sealed record CaseMessage
{
    public required Guid MessageId { get; init; }

    /// <summary><c>sent</c> or <c>received</c>.</summary>
    public required string Direction { get; init; }

    public required string MessageType { get; init; }

    /// <summary>The partner: recipient of a sent message, sender of a received one.</summary>
    public required string Peer { get; init; }

    public required DateTimeOffset At { get; init; }

    public Guid? InReplyTo { get; init; }

    /// <summary>A sent message's delivery state; null for a received one.</summary>
    public DeliveryState? State { get; init; }

    /// <summary>A sent message delivered with a verified receipt; a received one answered with this node's signed receipt.</summary>
    public bool ReceiptVerified { get; init; }

    public string? LegalBasis { get; init; }

    public Guid? ConsentId { get; init; }

    public IReadOnlyList<string> DisclosedFields { get; init; } = [];

    public DateTimeOffset? ContentErasedAt { get; init; }
}
