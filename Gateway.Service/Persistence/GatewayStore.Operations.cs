using System.Data.Common;

namespace Gateway.Service.Persistence;

/// <summary>What operators do to the delivery queue (DESIGN §8.4): suspend and resume a peer, retry and cancel a message.</summary>
public sealed partial class GatewayStore
{
    /// <summary>Holds a peer's waiting messages (Suspended) and every new one until it is resumed.</summary>
    public async Task<int> SuspendPeerAsync(string peerId, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO peer_controls (peer_id, suspended_at, suspended_by) VALUES (@peer, @now, @actor)
            ON CONFLICT (peer_id) DO UPDATE SET suspended_at = COALESCE(peer_controls.suspended_at, @now), suspended_by = COALESCE(peer_controls.suspended_by, @actor)
            """, cancellationToken, ("peer", peerId), ("now", Ms(now)), ("actor", actor));
        await ExecuteAsync(connection, transaction, """
            INSERT INTO message_transitions (message_id, at, state, reason)
                SELECT message_id, @now, 'Suspended', 'PEER_SUSPENDED' FROM outbound_messages WHERE peer_id = @peer AND state IN ('Queued', 'RetryWaiting')
            """, cancellationToken, ("peer", peerId), ("now", Ms(now)));
        var held = await ExecuteAsync(connection, transaction, """
            UPDATE outbound_messages SET state = 'Suspended', updated_at = @now WHERE peer_id = @peer AND state IN ('Queued', 'RetryWaiting')
            """, cancellationToken, ("peer", peerId), ("now", Ms(now)));
        await transaction.CommitAsync(cancellationToken);
        return held;
    }

    /// <summary>Releases a suspended peer: its held messages are due now.</summary>
    public async Task<int> ResumePeerAsync(string peerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "UPDATE peer_controls SET suspended_at = NULL, suspended_by = NULL WHERE peer_id = @peer",
            cancellationToken, ("peer", peerId));
        await ExecuteAsync(connection, transaction, """
            INSERT INTO message_transitions (message_id, at, state, reason)
                SELECT message_id, @now, 'Queued', 'PEER_RESUMED' FROM outbound_messages WHERE peer_id = @peer AND state = 'Suspended';
            UPDATE outbox SET publish_after = @now, lease_until = NULL
                WHERE message_id IN (SELECT message_id FROM outbound_messages WHERE peer_id = @peer AND state = 'Suspended');
            """, cancellationToken, ("peer", peerId), ("now", Ms(now)));
        var released = await ExecuteAsync(connection, transaction, """
            UPDATE outbound_messages SET state = 'Queued', next_attempt_at = @now, updated_at = @now WHERE peer_id = @peer AND state = 'Suspended'
            """, cancellationToken, ("peer", peerId), ("now", Ms(now)));
        await transaction.CommitAsync(cancellationToken);
        return released;
    }

    public async Task<IReadOnlySet<string>> ListSuspendedPeersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT peer_id FROM peer_controls WHERE suspended_at IS NOT NULL");
        return (await ReadAllAsync(command, reader => reader.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A Failed message goes round again with a fresh time-to-live and the same message id.</summary>
    public async Task<OperatorActionResult> RetryMessageAsync(Guid messageId, DateTimeOffset now, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var id = messageId.ToString();
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await ExecuteAsync(connection, transaction, """
            UPDATE outbound_messages SET state = 'Queued', next_attempt_at = @now, expires_at = @expires, last_error = NULL, updated_at = @now
            WHERE message_id = @id AND state = 'Failed' AND envelope IS NOT NULL
            """, cancellationToken, ("id", id), ("now", Ms(now)), ("expires", Ms(now + timeToLive)));
        if (updated == 0)
        {
            return await RefusalAsync(connection, transaction, messageId, cancellationToken);
        }

        await ExecuteAsync(connection, transaction, "INSERT INTO outbox (message_id, publish_after) VALUES (@id, @now)", cancellationToken, ("id", id), ("now", Ms(now)));
        await RecordTransitionAsync(connection, transaction, messageId, now, DeliveryState.Queued, "OPERATOR_RETRY", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return OperatorActionResult.Done;
    }

    /// <summary>A message that has not been delivered and is not on the wire right now is cancelled for good.</summary>
    public async Task<OperatorActionResult> CancelMessageAsync(Guid messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = messageId.ToString();
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await ExecuteAsync(connection, transaction, """
            UPDATE outbound_messages SET state = 'Cancelled', last_error = 'OPERATOR_CANCELLED', lease_until = NULL, updated_at = @now
            WHERE message_id = @id AND state IN ('Queued', 'RetryWaiting', 'Suspended', 'Failed')
            """, cancellationToken, ("id", id), ("now", Ms(now)));
        if (updated == 0)
        {
            return await RefusalAsync(connection, transaction, messageId, cancellationToken);
        }

        await ExecuteAsync(connection, transaction, "DELETE FROM outbox WHERE message_id = @id", cancellationToken, ("id", id));
        await RecordTransitionAsync(connection, transaction, messageId, now, DeliveryState.Cancelled, "OPERATOR_CANCELLED", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return OperatorActionResult.Done;
    }

    public async Task<IReadOnlyList<MessageTransition>> ListTransitionsAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT at, state, reason FROM message_transitions WHERE message_id = @id ORDER BY seq",
            ("id", messageId.ToString()));
        return await ReadAllAsync(command, reader => new MessageTransition(FromMs(reader.GetInt64(0)), Enum.Parse<DeliveryState>(reader.GetString(1)), reader.GetString(2)), cancellationToken);
    }

    /// <summary>Sent messages as operators see them (no content), newest first, optionally of one state and one peer.</summary>
    public async Task<IReadOnlyList<OutboundMessage>> ListOutboundMetadataAsync(DeliveryState? state, string? peerId, int max, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            SELECT {OutboundColumns} FROM outbound_messages
            WHERE 1 = 1 {(state is null ? string.Empty : "AND state = @state")} {(peerId is null ? string.Empty : "AND peer_id = @peer")}
            ORDER BY created_at DESC LIMIT @max
            """, ("state", state?.ToString() ?? string.Empty), ("peer", peerId ?? string.Empty), ("max", max));
        return [.. (await ReadAllAsync(command, ReadOutbound, cancellationToken)).Select(message => message with { Envelope = null, Content = null })];
    }

    /// <summary>Per peer: messages by state, delivered in the last day, the oldest undelivered, the last delivery.</summary>
    public async Task<IReadOnlyList<PeerQueueSummary>> SummarizePeersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT peer_id,
                SUM(CASE WHEN state = 'Queued' THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'InFlight' THEN 1 ELSE 0 END),
                SUM(CASE WHEN state = 'RetryWaiting' THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'Failed' THEN 1 ELSE 0 END),
                SUM(CASE WHEN state = 'Suspended' THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'Delivered' AND delivered_at >= @day THEN 1 ELSE 0 END),
                MIN(CASE WHEN state IN ('Queued', 'InFlight', 'RetryWaiting', 'Suspended') THEN created_at END), MAX(delivered_at)
            FROM outbound_messages GROUP BY peer_id
            """, ("day", Ms(now - TimeSpan.FromDays(1))));
        return await ReadAllAsync(command, reader => new PeerQueueSummary
        {
            PeerId = reader.GetString(0),
            Queued = Int(reader, 1),
            InFlight = Int(reader, 2),
            RetryWaiting = Int(reader, 3),
            Failed = Int(reader, 4),
            Suspended = Int(reader, 5),
            DeliveredLastDay = Int(reader, 6),
            OldestUndeliveredAt = reader.IsDBNull(7) ? null : FromMs(reader.GetInt64(7)),
            LastDeliveredAt = reader.IsDBNull(8) ? null : FromMs(reader.GetInt64(8)),
        }, cancellationToken);
    }

    private static int Int(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : Convert.ToInt32(reader.GetValue(ordinal));

    private static async Task<OperatorActionResult> RefusalAsync(DbConnection connection, DbTransaction transaction, Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT state FROM outbound_messages WHERE message_id = @id", ("id", messageId.ToString()));
        return await command.ExecuteScalarAsync(cancellationToken) is string state
            ? OperatorActionResult.NotAllowedIn(Enum.Parse<DeliveryState>(state))
            : OperatorActionResult.NotFound;
    }
}
