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

    /// <summary>Messages not settled for good, and Failed ones (which wait for an operator): ix_outbound_open holds only these.</summary>
    internal const string OpenStates = "state IN ('Queued', 'InFlight', 'RetryWaiting', 'Failed', 'Suspended')";

    /// <summary>Counts of the open states per peer, with the oldest creation time of each.</summary>
    internal const string OpenStatesQuery =
        "SELECT peer_id, state, COUNT(*), MIN(created_at) FROM outbound_messages WHERE " + OpenStates + " GROUP BY peer_id, state";

    /// <summary>
    /// Every peer ever sent to, with its last delivery and its deliveries since @day: the distinct peers are walked
    /// through the index (a recursive "next peer after this one"), and each peer's figures read from
    /// ix_outbound_peer_delivered, so the cost follows the number of peers and the last day's deliveries, not the
    /// history. delivered_at is set only when a message is Delivered.
    /// </summary>
    internal const string DeliveriesQuery = """
        WITH RECURSIVE peers(peer_id) AS (
            SELECT MIN(peer_id) FROM outbound_messages
            UNION ALL
            SELECT (SELECT MIN(o.peer_id) FROM outbound_messages o WHERE o.peer_id > peers.peer_id) FROM peers WHERE peers.peer_id IS NOT NULL)
        SELECT peer_id,
            (SELECT MAX(m.delivered_at) FROM outbound_messages m WHERE m.peer_id = peers.peer_id),
            (SELECT COUNT(*) FROM outbound_messages m WHERE m.peer_id = peers.peer_id AND m.delivered_at >= @day)
        FROM peers WHERE peer_id IS NOT NULL
        """;

    /// <summary>
    /// Every peer's share of the queue. It runs every few seconds on every replica (metrics), so it reads through
    /// indexes that grow with the open queue and the number of peers, never with the delivered history.
    /// </summary>
    public async Task<IReadOnlyList<PeerQueueSummary>> SummarizePeersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var open = new List<(string PeerId, DeliveryState State, int Count, DateTimeOffset Oldest)>();
        await using (var command = Command(connection, null, OpenStatesQuery))
        {
            open.AddRange(await ReadAllAsync(command, reader =>
                (reader.GetString(0), Enum.Parse<DeliveryState>(reader.GetString(1)), Int(reader, 2), FromMs(reader.GetInt64(3))), cancellationToken));
        }

        await using var deliveries = Command(connection, null, DeliveriesQuery, ("day", Ms(now - TimeSpan.FromDays(1))));
        return await ReadAllAsync(deliveries, reader =>
        {
            var peer = reader.GetString(0);
            var states = open.Where(item => item.PeerId == peer).ToList();
            int Count(DeliveryState state) => states.Where(item => item.State == state).Sum(item => item.Count);
            var undelivered = states.Where(item => item.State != DeliveryState.Failed).Select(item => (DateTimeOffset?)item.Oldest);
            return new PeerQueueSummary
            {
                PeerId = peer,
                Queued = Count(DeliveryState.Queued),
                InFlight = Count(DeliveryState.InFlight),
                RetryWaiting = Count(DeliveryState.RetryWaiting),
                Failed = Count(DeliveryState.Failed),
                Suspended = Count(DeliveryState.Suspended),
                DeliveredLastDay = Int(reader, 2),
                OldestUndeliveredAt = undelivered.Min(),
                LastDeliveredAt = reader.IsDBNull(1) ? null : FromMs(reader.GetInt64(1)),
            };
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
