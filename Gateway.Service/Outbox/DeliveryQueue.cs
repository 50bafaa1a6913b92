using Gateway.Service.Hosting;

namespace Gateway.Service.Outbox;

/// <summary>
/// The names and addresses of this node's delivery queues: one per peer, so a peer that hangs holds only its own
/// consumers (DESIGN §8.4), and one for messages whose peer is no longer registered.
/// </summary>
internal static class DeliveryQueue
{
    public static string Name(GatewayNodeOptions options) => $"{options.QueuePrefix}.{options.NodeId.ToLowerInvariant()}.delivery";

    public static string Name(GatewayNodeOptions options, string peerId) => $"{Name(options)}.{peerId.ToLowerInvariant()}";

    /// <summary>
    /// On RabbitMQ, send to the queue's exchange: sending to <c>queue:</c> would declare the queue again with
    /// classic arguments and clash with the quorum queue the receive endpoint declared.
    /// </summary>
    public static Uri Address(GatewayNodeOptions options, string? peerId = null)
    {
        var name = peerId is null ? Name(options) : Name(options, peerId);
        return new(string.IsNullOrEmpty(options.RabbitMqUri) ? $"queue:{name}" : $"exchange:{name}");
    }
}
