using Gateway.Service.Persistence;

namespace Gateway.Service.Outbox;

/// <summary>
/// The <c>outbox</c> table (DESIGN §8.2): a row per message that still has to reach the broker or be tried again,
/// leased while the relay publishes it. Features that settle or reschedule a message change its row through the
/// statements here, in their own transaction.
/// </summary>
public sealed class OutboxStore(Database database)
{
    public static SqlStatement Insert(Guid messageId, DateTimeOffset publishAfter) =>
        new("INSERT INTO outbox (message_id, publish_after) VALUES (@id, @next)", ("id", messageId.ToString()), ("next", SqlStatement.Ms(publishAfter)));

    public static SqlStatement Remove(Guid messageId) => new("DELETE FROM outbox WHERE message_id = @id", ("id", messageId.ToString()));

    /// <summary>Due at <paramref name="publishAfter"/> and not leased: the message is published then.</summary>
    public static SqlStatement Reschedule(Guid messageId, DateTimeOffset publishAfter) =>
        new("UPDATE outbox SET publish_after = @next, lease_until = NULL WHERE message_id = @id", ("id", messageId.ToString()), ("next", SqlStatement.Ms(publishAfter)));

    /// <summary>
    /// Claims outbox rows that are due and not leased (or whose lease expired: the broker copy may be lost) for
    /// <paramref name="lease"/>, with each message's peer, so the relay can send it to that peer's queue. Messages of a
    /// suspended peer are not leased.
    /// </summary>
    public Task<IReadOnlyList<DueDelivery>> LeaseDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
        database.QueryAsync("""
            UPDATE outbox SET lease_until = @lease
            WHERE message_id IN (
                SELECT o.message_id FROM outbox o JOIN outbound_messages m ON m.message_id = o.message_id
                WHERE o.publish_after <= @now AND (o.lease_until IS NULL OR o.lease_until < @now) AND m.state <> 'Suspended'
                ORDER BY o.publish_after LIMIT @max)
              AND (lease_until IS NULL OR lease_until < @now)
            RETURNING message_id, (SELECT peer_id FROM outbound_messages m WHERE m.message_id = outbox.message_id)
            """,
            reader => new DueDelivery(Guid.Parse(reader.GetString(0)), reader.GetString(1)), cancellationToken,
            ("lease", SqlStatement.Ms(now + lease)), ("now", SqlStatement.Ms(now)), ("max", max));

    /// <summary>Like <see cref="LeaseDueAsync"/>, message ids only.</summary>
    public async Task<IReadOnlyList<Guid>> LeaseDueIdsAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
        [.. (await LeaseDueAsync(now, lease, max, cancellationToken)).Select(due => due.MessageId)];

    /// <summary>
    /// Shortens the lease of rows the relay could not publish so they come due again at <paramref name="retryAt"/>
    /// rather than when the lease runs out. Only rows still under the lease the relay took are touched.
    /// </summary>
    public Task ReleaseLeasesAsync(IReadOnlyCollection<Guid> messageIds, DateTimeOffset leasedUntil, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        database.ExecuteInTransactionAsync([.. messageIds.Select(id => new SqlStatement(
            "UPDATE outbox SET lease_until = @retry WHERE message_id = @id AND lease_until = @leased",
            ("retry", SqlStatement.Ms(retryAt)), ("id", id.ToString()), ("leased", SqlStatement.Ms(leasedUntil))))], cancellationToken);
}
