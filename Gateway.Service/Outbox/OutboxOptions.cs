namespace Gateway.Service.Outbox;

/// <summary>
/// The relay's timings (configuration section <c>Gateway:Delivery</c>, beside the delivery policy, where they have
/// always been set).
/// </summary>
public sealed class OutboxOptions
{
    public const string Section = "Gateway:Delivery";

    /// <summary>How long a published outbox row waits for its delivery before it is published again (also an attempt's lease).</summary>
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
}
