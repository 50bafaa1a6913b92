using Gateway.Service.Telemetry;

namespace Gateway.Service.Operations;

/// <summary>Reads the queue per peer every few seconds for the gauges; a failed read keeps the last snapshot.</summary>
internal sealed partial class QueueSnapshotJob(OperationsStore store, GatewayMetrics metrics, BrokerQueueProbe broker, TimeProvider time, ILogger<QueueSnapshotJob> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var now = time.GetUtcNow();
                metrics.UpdateQueues(await store.SummarizePeersAsync(now, stoppingToken), now);
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                LogSnapshotFailed(logger, exception);
            }

            try
            {
                metrics.UpdateBrokerQueues(await broker.ReadAsync(stoppingToken));
            }
            catch (Exception exception) when (exception is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.AlreadyClosedException
                or IOException or System.Net.Sockets.SocketException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // The broker is away: readiness says so; the gauges keep their last reading until it is back.
                await broker.ResetAsync();
                LogBrokerUnreadable(logger, exception);
            }
        }
        while (await Next(timer, stoppingToken));
    }

    private static async Task<bool> Next(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "RabbitMQ queue depths could not be read; the last reading stays")]
    private static partial void LogBrokerUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue metrics could not be read; the last snapshot stays")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception);
}
