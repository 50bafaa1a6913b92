namespace Gateway.Service.Delivery;

/// <summary>
/// How hard a node tries to hand an envelope to a peer (configuration section <c>Gateway:Delivery</c>):
/// exponential backoff with jitter up to a cap, until the time-to-live runs out (AS4-style), each peer behind its own
/// circuit breaker and concurrency limit. These are the defaults; <see cref="Peers"/> overrides them per peer.
/// Retries are scheduled in the database, not the broker.
/// </summary>
public sealed class DeliveryOptions
{
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Each delay is spread by ± this fraction so that retries to a recovering peer do not arrive together.</summary>
    public double Jitter { get; set; } = 0.2;

    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(7);

    /// <summary>One HTTP attempt, from connect to receipt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a published outbox row waits for its delivery before it is published again.</summary>
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long one publish to the broker may take, confirm included. A publish still unconfirmed then is counted
    /// as failed (RabbitMQ.Client 7 can leave one waiting forever after a broker restart) and its row comes due
    /// again after <see cref="RelayRetryDelay"/>; a copy that did reach the broker is a duplicate the consumer drops.
    /// </summary>
    public TimeSpan BrokerSendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How soon a row whose publish failed is tried again (instead of waiting out its lease).</summary>
    public TimeSpan RelayRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the relay looks for due rows when nothing wakes it.</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

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
