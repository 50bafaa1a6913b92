using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Outbox;

/// <summary>
/// The names and addresses of this node's queues on the broker: a delivery queue per peer, so a peer that hangs holds
/// only its own consumers (DESIGN §8.4), one for messages whose peer is no longer registered, and the exchange where
/// received messages are announced.
/// </summary>
public sealed class DeliveryQueue(IOptions<BusOptions> options, NodeIdentity identity)
{
    private BusOptions Bus => options.Value;

    public string Name(string? peerId = null)
    {
        var name = $"{Bus.QueuePrefix}.{identity.NodeId.ToLowerInvariant()}.delivery";
        return peerId is null ? name : $"{name}.{peerId.ToLowerInvariant()}";
    }

    /// <summary>
    /// On RabbitMQ, send to the queue's exchange: sending to <c>queue:</c> would declare the queue again with
    /// classic arguments and clash with the quorum queue the receive endpoint declared.
    /// </summary>
    public Uri Address(string? peerId = null) => new(Bus.UsesRabbitMq ? $"exchange:{Name(peerId)}" : $"queue:{Name(peerId)}");

    /// <summary>Where MessageReceived events go (metadata only), for the contact point's case-management systems.</summary>
    public Uri EventsAddress => new($"exchange:{Bus.QueuePrefix}.{identity.NodeId}.events");
}
