using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Gateway.Bench.EndToEnd;

/// <summary>Deletes what the run's nodes declared on the broker under the run's own queue prefix, so runs do not pile them up.</summary>
internal static class BrokerQueues
{
    public static async Task DeleteAsync(Uri broker, string prefix, IReadOnlyList<string> nodeIds)
    {
        var factory = new ConnectionFactory { Uri = broker, RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        await using var connection = await factory.CreateConnectionAsync();
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
