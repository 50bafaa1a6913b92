using Gateway.Service.Referrals;

namespace Gateway.Service.Delivery;

/// <summary>One try at handing an envelope to its peer, as recorded when it ended.</summary>
public sealed record DeliveryAttempt
{
    public required Guid MessageId { get; init; }

    public required int Attempt { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The state the message moved to.</summary>
    public required DeliveryState Outcome { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>The peer's problem code or the local reason (TIMEOUT, CONNECTION_FAILED, RECEIPT_INVALID, ...).</summary>
    public string? ErrorCode { get; init; }
}
