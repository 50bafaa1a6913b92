using System.Text.Json;
using Gateway.Contracts;
using Gateway.Service.Persistence;

namespace Gateway.Service.Audit;

/// <summary>
/// Writes audit lines. Evidence never blocks the work it records (DESIGN §10): a line that cannot be written is
/// logged as an error for operators and the caller goes on.
/// </summary>
public sealed partial class AuditLog(GatewayStore store, TimeProvider time, ILogger<AuditLog> logger)
{
    public const string System = "system";

    public async Task RecordAsync(string actor, string action, Guid? messageId = null, string? peerId = null, string? conversationId = null, object? detail = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.AppendAuditAsync(
                new AuditEntry
                {
                    At = time.GetUtcNow(),
                    Actor = actor,
                    Action = action,
                    MessageId = messageId,
                    PeerId = peerId,
                    ConversationId = conversationId,
                    Detail = detail is null ? null : JsonSerializer.Serialize(detail, GatewayJson.Options),
                },
                cancellationToken);
        }
        catch (Exception exception) when (exception is global::System.Data.Common.DbException or InvalidOperationException)
        {
            LogNotWritten(logger, exception, action, messageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit line {Action} for message {MessageId} could not be written")]
    private static partial void LogNotWritten(ILogger logger, Exception exception, string action, Guid? messageId);
}
