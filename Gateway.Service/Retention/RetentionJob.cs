using Gateway.Service.Audit;
using Gateway.Service.Cases;
using Gateway.Service.Inbox;
using Gateway.Service.Keys;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Retention;

/// <summary>Purges content past its retention period on a schedule; each purge is an audit line with counts only.</summary>
internal sealed partial class RetentionJob(Database database, CaseKeys keys, AuditLog audit, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionJob> logger) : BackgroundService
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

    /// <summary>
    /// Erases every case whose content is all past its period (received content older than InboundContent and acted
    /// on, sent content older than OutboundContent and settled): its data key destroyed with this epoch's
    /// key-encryption key (DESIGN §15), its content columns emptied, metadata and receipts kept. Returns how many
    /// received and sent messages lost their content.
    /// </summary>
    public async Task<(int Inbound, int Outbound)> PurgeAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value;
        var now = time.GetUtcNow();
        var due = await database.QueryAsync("""
            SELECT c.case_id FROM cases c
            WHERE c.erased_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM inbound_messages i WHERE i.conversation_id = c.case_id
                              AND (i.received_at >= @inboundBefore OR i.processed_at IS NULL))
              AND NOT EXISTS (SELECT 1 FROM outbound_messages o WHERE o.conversation_id = c.case_id
                              AND (o.created_at >= @outboundBefore OR o.state NOT IN ('Delivered', 'Failed', 'Cancelled')))
              AND (EXISTS (SELECT 1 FROM inbound_messages i WHERE i.conversation_id = c.case_id AND i.envelope IS NOT NULL)
                   OR EXISTS (SELECT 1 FROM outbound_messages o WHERE o.conversation_id = c.case_id AND (o.envelope IS NOT NULL OR o.content IS NOT NULL)))
            ORDER BY c.opened_at LIMIT 500
            """, reader => reader.GetString(0), cancellationToken,
            ("inboundBefore", SqlStatement.Ms(now - retention.InboundContent)), ("outboundBefore", SqlStatement.Ms(now - retention.OutboundContent)));
        if (due.Count == 0)
        {
            return (0, 0);
        }

        var (inbound, outbound) = (0, 0);
        await keys.EraseAsync(due, async scope =>
        {
            foreach (var caseId in due)
            {
                var cancelled = await SentMessageStore.UndeliveredInCaseAsync(scope.Transaction, caseId, cancellationToken);
                await scope.Transaction.ExecuteAllAsync([.. cancelled.SelectMany(message => new[]
                {
                    SentMessageStore.Transition(message, now, DeliveryState.Cancelled, ErasureReasons.Retention),
                    Outbox.OutboxStore.Remove(message),
                })], cancellationToken);
                var erased = await scope.Transaction.ExecuteAllAsync(
                    [InboxStore.EraseCase(caseId, ErasureReasons.Retention, now), .. SentMessageStore.EraseCase(caseId, ErasureReasons.Retention, now), CaseStore.MarkErased(caseId, ErasureReasons.Retention, now)],
                    cancellationToken);
                inbound += erased[0];
                outbound += erased[2];
            }

            scope.Transaction.Attach(audit.Line(AuditLog.System, AuditActions.RetentionPurge, detail: new { Cases = due.Count, Inbound = inbound, Outbound = outbound }));
        }, cancellationToken);
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
