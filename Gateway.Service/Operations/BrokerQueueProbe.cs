using Gateway.Service.Node;
using Gateway.Service.Outbox;
using Gateway.Service.Telemetry;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Gateway.Service.Operations;

/// <summary>
/// Asks RabbitMQ how deep this node's delivery queues are and how many consumers they have (a passive declare per
/// queue: read-only, needs no management plugin). Nothing to ask on the in-memory transport.
/// </summary>
internal sealed class BrokerQueueProbe(IOptions<BusOptions> options, NodeIdentity identity, DeliveryQueue queues) : IAsyncDisposable
{
    private IConnection? _connection;

    public bool Configured => options.Value.UsesRabbitMq;

    public async Task<IReadOnlyList<BrokerQueueView>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return [];
        }

        var settings = options.Value;
        _connection ??= await ConnectAsync(settings, identity.NodeId, cancellationToken);
        var names = identity.Peers.Peers.Select(peer => (Name: queues.Name(peer.Id), PeerId: (string?)peer.Id))
            .Append((Name: queues.Name(), PeerId: null));
        var views = new List<BrokerQueueView>();
        foreach (var (name, peerId) in names)
        {
            // A passive declare of a queue that does not exist (yet) closes its channel: one channel per queue.
            try
            {
                await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
                var declared = await channel.QueueDeclarePassiveAsync(name, cancellationToken);
                views.Add(new BrokerQueueView(name, peerId, declared.MessageCount, declared.ConsumerCount));
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                views.Add(new BrokerQueueView(name, peerId, 0, 0));
            }
        }

        return views;
    }

    /// <summary>After a failure the next read connects again.</summary>
    public async Task ResetAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public async ValueTask DisposeAsync() => await ResetAsync();

    private static async Task<IConnection> ConnectAsync(BusOptions settings, string nodeId, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(settings.RabbitMqUri!), ClientProvidedName = $"{nodeId} queue probe" };
        if (settings.RabbitMqClusterNodes.Count == 0)
        {
            return await factory.CreateConnectionAsync(cancellationToken);
        }

        var endpoints = settings.RabbitMqClusterNodes.Select(node => AmqpTcpEndpoint.Parse(node)).ToList();
        return await factory.CreateConnectionAsync(endpoints, cancellationToken);
    }
}
