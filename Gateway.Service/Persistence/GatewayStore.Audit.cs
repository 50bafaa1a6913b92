namespace Gateway.Service.Persistence;

/// <summary>The append-only audit log. Lines are only ever inserted.</summary>
public sealed partial class GatewayStore
{
    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO audit_log (at, actor, action, message_id, peer_id, conversation_id, detail)
            VALUES (@at, @actor, @action, @message, @peer, @conversation, @detail)
            """,
            cancellationToken,
            ("at", Ms(entry.At)), ("actor", entry.Actor), ("action", entry.Action), ("message", entry.MessageId?.ToString()),
            ("peer", entry.PeerId), ("conversation", entry.ConversationId), ("detail", entry.Detail));
    }

    /// <summary>Lines in order, optionally only those of one action.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? action, int max, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            SELECT seq, at, actor, action, message_id, peer_id, conversation_id, detail FROM audit_log
            {(action is null ? string.Empty : "WHERE action = @action")} ORDER BY seq LIMIT @max
            """, ("action", action ?? string.Empty), ("max", max));
        return await ReadAllAsync(command, reader => new AuditEntry
        {
            Sequence = reader.GetInt64(0),
            At = FromMs(reader.GetInt64(1)),
            Actor = reader.GetString(2),
            Action = reader.GetString(3),
            MessageId = reader.IsDBNull(4) ? null : Guid.Parse(reader.GetString(4)),
            PeerId = reader.IsDBNull(5) ? null : reader.GetString(5),
            ConversationId = reader.IsDBNull(6) ? null : reader.GetString(6),
            Detail = reader.IsDBNull(7) ? null : reader.GetString(7),
        }, cancellationToken);
    }
}
