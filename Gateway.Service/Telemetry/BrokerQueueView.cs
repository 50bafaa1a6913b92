namespace Gateway.Service.Telemetry;

/// <summary>One of this node's delivery queues as RabbitMQ reports it: messages waiting and consumers attached.</summary>
public sealed record BrokerQueueView(string Queue, string? PeerId, long Messages, long Consumers);
