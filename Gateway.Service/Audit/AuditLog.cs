using System.Text.Json;
using Gateway.Contracts;

namespace Gateway.Service.Audit;

/// <summary>
/// Makes and writes audit lines. A line that records a write is attached to that write's unit of work or transaction
/// (<see cref="Line"/>), so both commit together. A line of its own (<see cref="RecordAsync"/>) never blocks the work it
/// records (DESIGN §10): when it cannot be written, operators see an error in the log and the caller goes on.
/// </summary>
public sealed partial class AuditLog(AuditStore store, TimeProvider time, ILogger<AuditLog> logger)
{
    public const string System = "system";

    /// <summary>A line to attach to a unit of work; <paramref name="detail"/> holds names and codes, never values.</summary>
    public AuditEntry Line(string actor, string action, Guid? messageId = null, string? peerId = null, string? conversationId = null, object? detail = null) => new()
    {
        At = time.GetUtcNow(),
        Actor = actor,
        Action = action,
        MessageId = messageId,
        PeerId = peerId,
        ConversationId = conversationId,
        Detail = detail is null ? null : JsonSerializer.Serialize(detail, GatewayJson.Options),
    };

    public async Task RecordAsync(string actor, string action, Guid? messageId = null, string? peerId = null, string? conversationId = null, object? detail = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.AppendAsync(Line(actor, action, messageId, peerId, conversationId, detail), cancellationToken);
        }
        catch (Exception exception) when (exception is global::System.Data.Common.DbException or InvalidOperationException)
        {
            LogNotWritten(logger, exception, action, messageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit line {Action} for message {MessageId} could not be written")]
    private static partial void LogNotWritten(ILogger logger, Exception exception, string action, Guid? messageId);
}
