namespace Gateway.Service.Outbox;

/// <summary>The message broker (configuration section <c>Gateway</c>: <c>RabbitMqUri</c>, <c>RabbitMqClusterNodes</c>, <c>QueuePrefix</c>).</summary>
public sealed class BusOptions
{
    public const string Section = "Gateway";

    /// <summary>amqp:// URI of RabbitMQ; empty uses MassTransit's in-memory transport (single process only).</summary>
    public string? RabbitMqUri { get; set; }

    /// <summary>Every node of a RabbitMQ cluster as <c>host:port</c>; the client fails over between them. Empty: the URI's host only.</summary>
    public List<string> RabbitMqClusterNodes { get; set; } = [];

    /// <summary>Prefix of this node's queue names, so several nodes or test runs can share one broker.</summary>
    public string QueuePrefix { get; set; } = "gateway";

    public bool UsesRabbitMq => !string.IsNullOrEmpty(RabbitMqUri);
}
