using System.Data.Common;
using Gateway.Service.Persistence;

namespace Gateway.Service.Inbox;

/// <summary>
/// The <c>inbound_messages</c> table: envelopes as partners delivered them, with this node's receipt, as the caseworker
/// and the inbox processor see them, and the erasure of their content.
/// </summary>
public sealed class InboxStore(Database database)
{
    internal const string Columns =
        "message_id, sender_id, message_type, conversation_id, in_reply_to, purpose, legal_basis, disclosure_profile, created_at, envelope, "
        + "envelope_sha256, receipt, received_at, processed_at, content_erased_at, erasure_reason, published_at";

    /// <summary>The inbox processor's poll: served by the partial index ix_inbound_pending, whose predicate is the same text.</summary>
    internal const string PendingQuery =
        "SELECT " + Columns + " FROM inbound_messages WHERE processed_at IS NULL OR published_at IS NULL ORDER BY received_at, message_id LIMIT @max";

    /// <summary>The received envelope; changes nothing when its message id is already stored (0 rows): a unit's guard.</summary>
    public static SqlStatement Insert(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new("""
            INSERT INTO inbound_messages (message_id, sender_id, message_type, conversation_id, in_reply_to, purpose, legal_basis,
                disclosure_profile, created_at, envelope, envelope_sha256, receipt, received_at, content_erased_at, erasure_reason, sealed)
            VALUES (@id, @sender, @type, @conversation, @replyTo, @purpose, @basis, @profile, @created, @envelope, @digest, @receipt, @received,
                @erased, @reason, 1)
            ON CONFLICT (message_id) DO NOTHING
            """,
            ("id", message.MessageId.ToString()), ("sender", message.SenderId), ("type", message.MessageType),
            ("conversation", message.ConversationId), ("replyTo", message.InReplyTo?.ToString()), ("purpose", message.Purpose),
            ("basis", message.LegalBasis), ("profile", message.DisclosureProfile), ("created", SqlStatement.Ms(message.CreatedAt)),
            ("envelope", message.Envelope), ("digest", message.EnvelopeSha256),
            ("receipt", message.Receipt), ("received", SqlStatement.Ms(message.ReceivedAt)),
            ("erased", message.ContentErasedAt is { } erased ? SqlStatement.Ms(erased) : null), ("reason", message.ErasureReason));
    }

    public Task<InboundMessage?> GetAsync(Guid messageId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM inbound_messages WHERE message_id = @id", Read, cancellationToken, ("id", messageId.ToString()));

    /// <summary>Newest first; metadata only.</summary>
    public Task<IReadOnlyList<InboundMessage>> ListAsync(int max, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT {Columns} FROM inbound_messages ORDER BY received_at DESC, message_id LIMIT @max", Read, cancellationToken, ("max", max));

    /// <summary>What arrived in the cases of <paramref name="units"/>, newest first; metadata only.</summary>
    public Task<IReadOnlyList<InboundMessage>> ListForUnitsAsync(IReadOnlyCollection<string> units, int max, CancellationToken cancellationToken) =>
        units.Count == 0
            ? Task.FromResult<IReadOnlyList<InboundMessage>>([])
            : database.QueryAsync($"""
                SELECT {Prefixed} FROM inbound_messages i JOIN cases c ON c.case_id = i.conversation_id
                WHERE c.unit_id IN ({string.Join(", ", units.Select((_, index) => $"@u{index}"))})
                ORDER BY i.received_at DESC, i.message_id LIMIT @max
                """, Read, cancellationToken, [.. units.Select((unit, index) => ($"u{index}", (object?)unit)), ("max", max)]);

    /// <summary>What arrived in one case, oldest first; metadata only.</summary>
    public Task<IReadOnlyList<InboundMessage>> ListForCaseAsync(string caseId, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT {Columns} FROM inbound_messages WHERE conversation_id = @case ORDER BY received_at, message_id", Read, cancellationToken, ("case", caseId));

    private static readonly string Prefixed = string.Join(", ", Columns.Split(", ").Select(column => "i." + column));

    /// <summary>Received messages the node has not acted on or not announced yet, oldest first.</summary>
    public Task<IReadOnlyList<InboundMessage>> ListUnprocessedAsync(int max, CancellationToken cancellationToken) =>
        database.QueryAsync(PendingQuery, Read, cancellationToken, ("max", max));

    public async Task<int> CountAsync(CancellationToken cancellationToken) =>
        Convert.ToInt32(await database.ScalarAsync("SELECT COUNT(*) FROM inbound_messages", cancellationToken));

    /// <summary>Marks a received message acted on; false when another processor (a second replica) did first.</summary>
    public static async Task<bool> MarkProcessedAsync(StoreTransaction transaction, Guid messageId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await transaction.ExecuteAsync("UPDATE inbound_messages SET processed_at = @now WHERE message_id = @id AND processed_at IS NULL",
            cancellationToken, ("now", SqlStatement.Ms(now)), ("id", messageId.ToString())) == 1;

    /// <summary>Marks a received message acted on, in a transaction of its own; false when another processor did first.</summary>
    public async Task<bool> CompleteAsync(Guid messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginAsync(cancellationToken);
        var marked = await MarkProcessedAsync(transaction, messageId, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return marked;
    }

    /// <summary>An erased case: the envelopes received in it are emptied; metadata and receipts stay.</summary>
    public static SqlStatement EraseCase(string caseId, string reason, DateTimeOffset now) => new("""
        UPDATE inbound_messages SET envelope = NULL, content_erased_at = COALESCE(content_erased_at, @now), erasure_reason = COALESCE(erasure_reason, @reason)
        WHERE conversation_id = @case AND envelope IS NOT NULL
        """, ("now", SqlStatement.Ms(now)), ("reason", reason), ("case", caseId));

    /// <summary>
    /// Settles, in one transaction, those of the messages that need nothing but the mark: not settled yet, not an
    /// erasure message, and in a conversation with no withdrawal from its sender. Returns the ids it settled; the
    /// others are left for <see cref="CompleteAsync"/>.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> SettlePlainAsync(IReadOnlyList<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var settled = await database.ExecuteInTransactionAsync([.. messageIds.Select(id => new SqlStatement("""
            UPDATE inbound_messages SET processed_at = @now
            WHERE message_id = @id AND processed_at IS NULL AND message_type NOT IN ('ConsentWithdrawn', 'ErasureConfirmed')
              AND NOT EXISTS (SELECT 1 FROM inbound_messages w
                              WHERE w.sender_id = inbound_messages.sender_id AND w.conversation_id = inbound_messages.conversation_id
                                AND w.message_type = 'ConsentWithdrawn')
            """, ("now", SqlStatement.Ms(now)), ("id", id.ToString())))], cancellationToken);
        return messageIds.Where((_, i) => settled[i] == 1).ToHashSet();
    }

    /// <summary>Marks received messages' events as published, in one transaction.</summary>
    public Task MarkPublishedAsync(IReadOnlyList<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        return database.ExecuteInTransactionAsync([.. messageIds.Select(id => new SqlStatement(
            "UPDATE inbound_messages SET published_at = @now WHERE message_id = @id AND published_at IS NULL",
            ("now", SqlStatement.Ms(now)), ("id", id.ToString())))], cancellationToken);
    }

    /// <summary>How many received messages of a case still hold content that an erasure empties (erasure messages apart).</summary>
    public async Task<int> CountErasableAsync(string caseId, CancellationToken cancellationToken) =>
        Convert.ToInt32(await database.ScalarAsync("""
            SELECT COUNT(*) FROM inbound_messages
            WHERE conversation_id = @case AND content_erased_at IS NULL AND message_type NOT IN ('ConsentWithdrawn', 'ErasureConfirmed')
            """, cancellationToken, ("case", caseId)));

    private static InboundMessage Read(DbDataReader reader) => new()
    {
        MessageId = Guid.Parse(reader.GetString(0)),
        SenderId = reader.GetString(1),
        MessageType = reader.GetString(2),
        ConversationId = reader.GetString(3),
        InReplyTo = reader.NullableGuid(4),
        Purpose = reader.NullableString(5),
        LegalBasis = reader.NullableString(6),
        DisclosureProfile = reader.NullableString(7),
        CreatedAt = reader.Time(8),
        Envelope = reader.NullableBytes(9),
        EnvelopeSha256 = reader.GetString(10),
        Receipt = (byte[])reader.GetValue(11),
        ReceivedAt = reader.Time(12),
        ProcessedAt = reader.NullableTime(13),
        ContentErasedAt = reader.NullableTime(14),
        ErasureReason = reader.NullableString(15),
        PublishedAt = reader.NullableTime(16),
    };
}
