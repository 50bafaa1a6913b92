namespace Gateway.Service.Delivery;

/// <summary>How an attempt ended: recorded with the message's new state in one transaction.</summary>
public sealed record AttemptCompletion
{
    public required DeliveryAttempt Attempt { get; init; }

    public byte[]? Receipt { get; init; }

    /// <summary>For <see cref="DeliveryState.RetryWaiting"/>: when to try again.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
