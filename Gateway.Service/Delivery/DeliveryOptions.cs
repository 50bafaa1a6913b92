namespace Gateway.Service.Delivery;

/// <summary>
/// How hard a node tries to hand an envelope to a peer (configuration section <c>Gateway:Delivery</c>):
/// exponential backoff with jitter up to a cap, until the time-to-live runs out (AS4-style), each peer behind its own
/// circuit breaker and concurrency limit. These are the defaults; <see cref="Peers"/> overrides them per peer.
/// Retries are scheduled in the database, not the broker. The relay's timings share the section (<see cref="Outbox.OutboxOptions"/>).
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Gateway:Delivery";

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Each delay is spread by ± this fraction so that retries to a recovering peer do not arrive together.</summary>
    public double Jitter { get; set; } = 0.2;

    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(7);

    /// <summary>One HTTP attempt, from connect to receipt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries in flight at once to one peer (each peer has its own queue and consumers).</summary>
    public int Concurrency { get; set; } = 32;

    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Overrides by peer id.</summary>
    public Dictionary<string, PeerDeliveryOverrides> Peers { get; set; } = [];

    /// <summary>The policy that applies to <paramref name="peerId"/>: its overrides over these defaults.</summary>
    public DeliveryPolicy For(string peerId)
    {
        var overrides = Peers.GetValueOrDefault(peerId);
        return new DeliveryPolicy
        {
            FirstRetryDelay = overrides?.FirstRetryDelay ?? FirstRetryDelay,
            MaxRetryDelay = overrides?.MaxRetryDelay ?? MaxRetryDelay,
            Jitter = overrides?.Jitter ?? Jitter,
            TimeToLive = overrides?.TimeToLive ?? TimeToLive,
            AttemptTimeout = overrides?.AttemptTimeout ?? AttemptTimeout,
            Concurrency = overrides?.Concurrency ?? Concurrency,
            CircuitBreaker = overrides?.CircuitBreaker ?? CircuitBreaker,
        };
    }
}
