using Gateway.Service.Outbox;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Gateway.Service.Telemetry;

namespace Gateway.Service.Operations;

/// <summary>
/// What operators see of the delivery queue and do to it (DESIGN §8.4): summaries per peer, metadata of sent messages,
/// suspend and resume a peer (<c>peer_controls</c>), retry and cancel a message — each change with its transition.
/// </summary>
public sealed class OperationsStore(Database database)
{
    /// <summary>Counts of the open states per peer, with the oldest creation time of each (served by ix_outbound_open).</summary>
    internal const string OpenStatesQuery =
        "SELECT peer_id, state, COUNT(*), MIN(created_at) FROM outbound_messages WHERE state IN ('Queued', 'InFlight', 'RetryWaiting', 'Failed', 'Suspended') GROUP BY peer_id, state";

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

    /// <summary>Holds a peer's waiting messages (Suspended) and every new one until it is resumed.</summary>
    public async Task<int> SuspendPeerAsync(string peerId, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginAsync(cancellationToken);
        await transaction.ExecuteAsync("""
            INSERT INTO peer_controls (peer_id, suspended_at, suspended_by) VALUES (@peer, @now, @actor)
            ON CONFLICT (peer_id) DO UPDATE SET suspended_at = COALESCE(peer_controls.suspended_at, @now), suspended_by = COALESCE(peer_controls.suspended_by, @actor)
            """, cancellationToken, ("peer", peerId), ("now", SqlStatement.Ms(now)), ("actor", actor));
        var held = await MessagesOfPeerAsync(transaction, peerId, "state IN ('Queued', 'RetryWaiting')", cancellationToken);
        await transaction.ExecuteAllAsync([.. held.Select(id => SentMessageStore.Transition(id, now, DeliveryState.Suspended, "PEER_SUSPENDED"))], cancellationToken);
        var count = await transaction.ExecuteAsync("""
            UPDATE outbound_messages SET state = 'Suspended', updated_at = @now WHERE peer_id = @peer AND state IN ('Queued', 'RetryWaiting')
            """, cancellationToken, ("peer", peerId), ("now", SqlStatement.Ms(now)));
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>Releases a suspended peer: its held messages are due now.</summary>
    public async Task<int> ResumePeerAsync(string peerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginAsync(cancellationToken);
        await transaction.ExecuteAsync("UPDATE peer_controls SET suspended_at = NULL, suspended_by = NULL WHERE peer_id = @peer", cancellationToken, ("peer", peerId));
        var held = await MessagesOfPeerAsync(transaction, peerId, "state = 'Suspended'", cancellationToken);
        await transaction.ExecuteAllAsync([.. held.SelectMany(id => new[]
        {
            SentMessageStore.Transition(id, now, DeliveryState.Queued, "PEER_RESUMED"),
            OutboxStore.Reschedule(id, now),
        })], cancellationToken);
        var released = await transaction.ExecuteAsync("""
            UPDATE outbound_messages SET state = 'Queued', next_attempt_at = @now, updated_at = @now WHERE peer_id = @peer AND state = 'Suspended'
            """, cancellationToken, ("peer", peerId), ("now", SqlStatement.Ms(now)));
        await transaction.CommitAsync(cancellationToken);
        return released;
    }

    public async Task<IReadOnlySet<string>> ListSuspendedPeersAsync(CancellationToken cancellationToken) =>
        (await database.QueryAsync("SELECT peer_id FROM peer_controls WHERE suspended_at IS NOT NULL", reader => reader.GetString(0), cancellationToken))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>A Failed message goes round again with a fresh time-to-live and the same message id.</summary>
    public async Task<OperatorActionResult> RetryMessageAsync(Guid messageId, DateTimeOffset now, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginAsync(cancellationToken);
        var updated = await transaction.ExecuteAsync("""
            UPDATE outbound_messages SET state = 'Queued', next_attempt_at = @now, expires_at = @expires, last_error = NULL, updated_at = @now
            WHERE message_id = @id AND state = 'Failed' AND envelope IS NOT NULL
            """, cancellationToken, ("id", messageId.ToString()), ("now", SqlStatement.Ms(now)), ("expires", SqlStatement.Ms(now + timeToLive)));
        if (updated == 0)
        {
            return await RefusalAsync(transaction, messageId, cancellationToken);
        }

        await transaction.ExecuteAllAsync([OutboxStore.Insert(messageId, now), SentMessageStore.Transition(messageId, now, DeliveryState.Queued, "OPERATOR_RETRY")], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return OperatorActionResult.Done;
    }

    /// <summary>A message that has not been delivered and is not on the wire right now is cancelled for good.</summary>
    public async Task<OperatorActionResult> CancelMessageAsync(Guid messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginAsync(cancellationToken);
        var updated = await transaction.ExecuteAsync("""
            UPDATE outbound_messages SET state = 'Cancelled', last_error = 'OPERATOR_CANCELLED', lease_until = NULL, updated_at = @now
            WHERE message_id = @id AND state IN ('Queued', 'RetryWaiting', 'Suspended', 'Failed')
            """, cancellationToken, ("id", messageId.ToString()), ("now", SqlStatement.Ms(now)));
        if (updated == 0)
        {
            return await RefusalAsync(transaction, messageId, cancellationToken);
        }

        await transaction.ExecuteAllAsync([OutboxStore.Remove(messageId), SentMessageStore.Transition(messageId, now, DeliveryState.Cancelled, "OPERATOR_CANCELLED")], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return OperatorActionResult.Done;
    }

    /// <summary>Sent messages as operators see them (no content), newest first, optionally of one state and one peer.</summary>
    public async Task<IReadOnlyList<OutboundMessage>> ListMetadataAsync(DeliveryState? state, string? peerId, int max, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync($"""
            SELECT {SentMessageStore.Columns} FROM outbound_messages
            WHERE 1 = 1 {(state is null ? string.Empty : "AND state = @state")} {(peerId is null ? string.Empty : "AND peer_id = @peer")}
            ORDER BY created_at DESC LIMIT @max
            """, SentMessageStore.Read, cancellationToken, ("state", state?.ToString() ?? string.Empty), ("peer", peerId ?? string.Empty), ("max", max)))
            .Select(message => message with { Envelope = null, Content = null })];

    /// <summary>
    /// Every peer's share of the queue. It runs every few seconds on every replica (metrics), so it reads through
    /// indexes that grow with the open queue and the number of peers, never with the delivered history.
    /// </summary>
    public async Task<IReadOnlyList<PeerQueueSummary>> SummarizePeersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await database.QueryAsync(OpenStatesQuery,
            reader => (PeerId: reader.GetString(0), State: Enum.Parse<DeliveryState>(reader.GetString(1)), Count: reader.Int(2), Oldest: reader.Time(3)), cancellationToken);
        return await database.QueryAsync(DeliveriesQuery, reader =>
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
                DeliveredLastDay = reader.Int(2),
                OldestUndeliveredAt = undelivered.Min(),
                LastDeliveredAt = reader.NullableTime(1),
            };
        }, cancellationToken, ("day", SqlStatement.Ms(now - TimeSpan.FromDays(1))));
    }

    private static Task<IReadOnlyList<Guid>> MessagesOfPeerAsync(StoreTransaction transaction, string peerId, string condition, CancellationToken cancellationToken) =>
        transaction.QueryAsync($"SELECT message_id FROM outbound_messages WHERE peer_id = @peer AND {condition}", reader => Guid.Parse(reader.GetString(0)),
            cancellationToken, ("peer", peerId));

    private static async Task<OperatorActionResult> RefusalAsync(StoreTransaction transaction, Guid messageId, CancellationToken cancellationToken) =>
        await transaction.ScalarAsync("SELECT state FROM outbound_messages WHERE message_id = @id", cancellationToken, ("id", messageId.ToString())) is string state
            ? OperatorActionResult.NotAllowedIn(Enum.Parse<DeliveryState>(state))
            : OperatorActionResult.NotFound;
}
