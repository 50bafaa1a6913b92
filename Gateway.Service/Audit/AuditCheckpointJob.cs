using Gateway.Crypto.Evidence;
using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Audit;

/// <summary>
/// Signs the head of the audit chain on a schedule when it has grown. A checkpoint that cannot be written is an
/// operator alert (an error in the log), never a stop (DESIGN §10).
/// </summary>
internal sealed partial class AuditCheckpointJob(AuditStore store, NodeIdentity identity, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditCheckpointJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AuditCheckpointInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async Task<AuditCheckpoint?> CheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            var head = await store.LastAsync(cancellationToken);
            var checkpoints = await store.ListCheckpointsAsync(cancellationToken);
            if (head is null || (checkpoints.Count > 0 && checkpoints[^1].Sequence >= head.Sequence))
            {
                return null;
            }

            var at = time.GetUtcNow();
            var content = AuditChain.CheckpointContent(identity.NodeId, head.Sequence, head.Hash, at);
            var checkpoint = new AuditCheckpoint(head.Sequence, head.Hash, at, EvidenceSignature.Sign(content, identity.Signing, at));
            await store.AddCheckpointAsync(checkpoint, cancellationToken);
            return checkpoint;
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or Crypto.EnvelopeException)
        {
            LogCheckpointFailed(logger, exception);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ALERT: the audit checkpoint could not be written; the log goes on unsigned until the next one")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
