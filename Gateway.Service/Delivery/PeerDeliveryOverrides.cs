namespace Gateway.Service.Delivery;

/// <summary>One peer's exceptions to <see cref="DeliveryOptions"/> (<c>Gateway:Delivery:Peers:&lt;peer id&gt;</c>); unset values inherit.</summary>
public sealed class PeerDeliveryOverrides
{
    public TimeSpan? FirstRetryDelay { get; set; }

    public TimeSpan? MaxRetryDelay { get; set; }

    public double? Jitter { get; set; }

    public TimeSpan? TimeToLive { get; set; }

    public TimeSpan? AttemptTimeout { get; set; }

    public int? Concurrency { get; set; }

    public CircuitBreakerOptions? CircuitBreaker { get; set; }
}
