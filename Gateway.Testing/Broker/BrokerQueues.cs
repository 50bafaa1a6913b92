using System.Globalization;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Gateway.Testing.Broker;

/// <summary>
/// Removes what a run's nodes declared on the broker under the run's own prefix (the delivery queues with their
/// exchanges, and the exchange inbound events are published to), so runs do not pile them up.
/// </summary>
public static class BrokerQueues
{
    /// <param name="broker">The broker (credentials and virtual host; its host and port when <paramref name="clusterNodes"/> is empty).</param>
    /// <param name="clusterNodes">The <c>host:port</c> of each node of a cluster (RABBITMQ_CLUSTER_NODES), or none for a single broker.</param>
    /// <param name="prefix">The queue prefix the nodes ran with (<c>Gateway__QueuePrefix</c>).</param>
    /// <param name="nodeIds">Every node of the run: each one's delivery queue per peer is deleted.</param>
    public static async Task DeleteAsync(Uri broker, IReadOnlyList<string> clusterNodes, string prefix, IReadOnlyList<string> nodeIds)
    {
        var factory = new ConnectionFactory { Uri = broker, RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        var endpoints = clusterNodes.Count == 0 ? [new AmqpTcpEndpoint(broker.Host, broker.Port)] : clusterNodes.Select(Endpoint).ToList();
        await using var connection = await factory.CreateConnectionAsync(endpoints);
        foreach (var nodeId in nodeIds)
        {
            await DeleteAsync(connection, queue: false, $"{prefix}.{nodeId}.events");
            var delivery = $"{prefix}.{nodeId.ToLowerInvariant()}.delivery";
            var queues = nodeIds.Select(peer => $"{delivery}.{peer.ToLowerInvariant()}").Prepend(delivery);
            foreach (var name in queues.SelectMany(name => new[] { name, name + "_error", name + "_skipped" }))
            {
                await DeleteAsync(connection, queue: true, name);
                await DeleteAsync(connection, queue: false, name);
            }
        }
    }

    private static AmqpTcpEndpoint Endpoint(string node)
    {
        var parts = node.Split(':');
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new AmqpTcpEndpoint(parts[0], port)
            : throw new ArgumentException($"cluster node '{node}' is not host:port", nameof(node));
    }

    private static async Task DeleteAsync(IConnection connection, bool queue, string name)
    {
        // A channel per operation: a refused one closes its channel.
        try
        {
            await using var channel = await connection.CreateChannelAsync();
            if (queue)
            {
                await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false);
            }
            else
            {
                await channel.ExchangeDeleteAsync(name, ifUnused: false);
            }
        }
        catch (OperationInterruptedException)
        {
            // Never declared.
        }
    }
}
