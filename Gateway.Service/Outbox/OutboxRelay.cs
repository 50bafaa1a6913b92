using Gateway.Service.Node;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Outbox;

/// <summary>
/// Publishes due outbox rows to the broker (with publisher confirms) under a lease. A row whose lease expires
/// without the delivery settling it is published again: a lost broker message delays a delivery, never loses it.
/// A publish that fails or is not confirmed within <c>Delivery:BrokerSendTimeout</c> is tried again after
/// <c>Delivery:RelayRetryDelay</c>, so a broker outage delays deliveries by about its own length, not by the lease.
/// </summary>
internal sealed partial class OutboxRelay(
    OutboxStore store,
    ISendEndpointProvider sendEndpoints,
    OutboxSignal signal,
    NodeIdentity identity,
    DeliveryQueue queues,
    TimeProvider time,
    IOptions<OutboxOptions> options,
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
                published = await PublishDueAsync(settings, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Database away: whatever was leased comes due again when its lease expires.
                LogRelayFailed(logger, exception);
            }

            if (published < BatchSize)
            {
                try
                {
                    await signal.WaitAsync(settings.RelayPollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Leases due rows and publishes each; a row whose publish fails or times out comes due again soon.</summary>
    /// <returns>How many rows were leased.</returns>
    private async Task<int> PublishDueAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var due = await store.LeaseDueAsync(now, settings.OutboxLease, BatchSize, stoppingToken);
        var failed = new System.Collections.Concurrent.ConcurrentQueue<(Guid MessageId, Exception Error)>();
        await Task.WhenAll(due.Select(async delivery =>
        {
            var address = queues.Address(identity.Peers.Find(delivery.PeerId) is null ? null : delivery.PeerId);
            try
            {
                await BrokerSend.SendAsync(sendEndpoints, address, new DeliverEnvelope(delivery.MessageId), settings.BrokerSendTimeout, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                failed.Enqueue((delivery.MessageId, exception));
            }
        }));

        if (!failed.IsEmpty)
        {
            var retryAt = time.GetUtcNow() + settings.RelayRetryDelay;
            LogPublishFailed(logger, failed.Count, due.Count, settings.RelayRetryDelay.TotalSeconds, failed.First().Error);
            await store.ReleaseLeasesAsync([.. failed.Select(item => item.MessageId)], now + settings.OutboxLease, retryAt, stoppingToken);
        }

        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not lease due rows; leased rows will be published again when their lease expires")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not publish {Failed} of {Leased} row(s) to the broker; they are tried again in {RetrySeconds} s")]
    private static partial void LogPublishFailed(ILogger logger, int failed, int leased, double retrySeconds, Exception exception);
}
