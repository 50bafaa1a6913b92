using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Outbox;

/// <summary>
/// Publishes due outbox rows to the broker (with publisher confirms) under a lease. A row whose lease expires
/// without the delivery settling it is published again: a lost broker message delays a delivery, never loses it.
/// </summary>
internal sealed partial class OutboxRelay(
    GatewayStore store,
    ISendEndpointProvider sendEndpoints,
    OutboxSignal signal,
    NodeIdentity identity,
    TimeProvider time,
    IOptions<GatewayNodeOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int BatchSize = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                var due = await store.LeaseDueDeliveriesAsync(time.GetUtcNow(), settings.Delivery.OutboxLease, BatchSize, stoppingToken);
                foreach (var peer in due.GroupBy(delivery => delivery.PeerId))
                {
                    var endpoint = await sendEndpoints.GetSendEndpoint(DeliveryQueue.Address(settings, identity.Peers.Find(peer.Key) is null ? null : peer.Key));
                    await Task.WhenAll(peer.Select(delivery => endpoint.Send(new DeliverEnvelope(delivery.MessageId), stoppingToken)));
                }

                published = due.Count;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Broker or database away: the leased rows come due again when their lease expires.
                LogRelayFailed(logger, exception);
            }

            if (published < BatchSize)
            {
                try
                {
                    await signal.WaitAsync(settings.Delivery.RelayPollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not publish; leased rows will be published again when their lease expires")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}
