using Gateway.Service.Audit;
using Gateway.Service.Inbox;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Retention;

/// <summary>Purges content past its retention period on a schedule; each purge is an audit line with counts only.</summary>
internal sealed partial class RetentionJob(Database database, AuditLog audit, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value;
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
        var retention = options.Value;
        var now = time.GetUtcNow();
        await using var transaction = await database.BeginAsync(cancellationToken);
        var purged = await transaction.ExecuteAllAsync(
            [InboxStore.PurgeContent(now - retention.InboundContent, now), SentMessageStore.PurgeContent(now - retention.OutboundContent, now)], cancellationToken);
        var (inbound, outbound) = (purged[0], purged[1]);
        if (inbound + outbound > 0)
        {
            transaction.Attach(audit.Line(AuditLog.System, AuditActions.RetentionPurge, detail: new { Inbound = inbound, Outbound = outbound }));
        }

        await transaction.CommitAsync(cancellationToken);
        return (inbound, outbound);
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
