using Gateway.Service.Audit;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Retention;

/// <summary>Purges content past its retention period on a schedule; each purge is an audit line with counts only.</summary>
internal sealed partial class RetentionJob(GatewayStore store, AuditLog audit, TimeProvider time, IOptions<GatewayNodeOptions> options, ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value.Retention;
        using var timer = new PeriodicTimer(retention.SweepInterval, time);
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPurgeFailed(logger, exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public async Task<(int Inbound, int Outbound)> PurgeAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.Retention;
        var now = time.GetUtcNow();
        var purged = await store.PurgeContentAsync(now - retention.InboundContent, now - retention.OutboundContent, now, cancellationToken);
        if (purged.Inbound + purged.Outbound > 0)
        {
            await audit.RecordAsync(AuditLog.System, AuditActions.RetentionPurge, detail: new { purged.Inbound, purged.Outbound }, cancellationToken: cancellationToken);
        }

        return purged;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention purge failed; it runs again at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
