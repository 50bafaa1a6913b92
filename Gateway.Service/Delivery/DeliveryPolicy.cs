namespace Gateway.Service.Delivery;

/// <summary>The delivery settings in force for one peer (defaults with that peer's overrides applied).</summary>
public sealed record DeliveryPolicy
{
    public required TimeSpan FirstRetryDelay { get; init; }

    public required TimeSpan MaxRetryDelay { get; init; }

    public required double Jitter { get; init; }

    public required TimeSpan TimeToLive { get; init; }

    public required TimeSpan AttemptTimeout { get; init; }

    public required int Concurrency { get; init; }

    public required CircuitBreakerOptions CircuitBreaker { get; init; }
}
