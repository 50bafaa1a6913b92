namespace Gateway.Service.Delivery;

/// <summary>
/// How hard a node tries to hand an envelope to a peer: exponential backoff with jitter up to a cap, until the
/// time-to-live runs out (AS4-style). Retries are scheduled in the database, not the broker.
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

    /// <summary>How often the relay looks for due rows when nothing wakes it.</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Deliveries in flight at once on this node.</summary>
    public int Concurrency { get; set; } = 16;
}
