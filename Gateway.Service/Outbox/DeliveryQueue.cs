using Gateway.Service.Hosting;

namespace Gateway.Service.Outbox;

/// <summary>The name and address of this node's delivery queue.</summary>
internal static class DeliveryQueue
{
    public static string Name(GatewayNodeOptions options) => $"{options.QueuePrefix}.{options.NodeId.ToLowerInvariant()}.delivery";

    /// <summary>
    /// On RabbitMQ, send to the queue's exchange: sending to <c>queue:</c> would declare the queue again with
    /// classic arguments and clash with the quorum queue the receive endpoint declared.
    /// </summary>
    public static Uri Address(GatewayNodeOptions options) =>
        new(string.IsNullOrEmpty(options.RabbitMqUri) ? $"queue:{Name(options)}" : $"exchange:{Name(options)}");
}
