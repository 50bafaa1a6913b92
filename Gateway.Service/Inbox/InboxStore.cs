using System.Data.Common;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;

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
                disclosure_profile, created_at, envelope, envelope_sha256, receipt, received_at)
            VALUES (@id, @sender, @type, @conversation, @replyTo, @purpose, @basis, @profile, @created, @envelope, @digest, @receipt, @received)
            ON CONFLICT (message_id) DO NOTHING
            """,
            ("id", message.MessageId.ToString()), ("sender", message.SenderId), ("type", message.MessageType),
            ("conversation", message.ConversationId), ("replyTo", message.InReplyTo?.ToString()), ("purpose", message.Purpose),
            ("basis", message.LegalBasis), ("profile", message.DisclosureProfile), ("created", SqlStatement.Ms(message.CreatedAt)),
            ("envelope", message.Envelope), ("digest", message.EnvelopeSha256),
            ("receipt", message.Receipt), ("received", SqlStatement.Ms(message.ReceivedAt)));
    }

    /// <summary>Retention: the content of settled received messages older than <paramref name="before"/>.</summary>
    public static SqlStatement PurgeContent(DateTimeOffset before, DateTimeOffset now) => new("""
        UPDATE inbound_messages SET envelope = NULL, content_erased_at = @now, erasure_reason = 'RETENTION'
        WHERE received_at < @before AND content_erased_at IS NULL AND processed_at IS NOT NULL
        """, ("now", SqlStatement.Ms(now)), ("before", SqlStatement.Ms(before)));

    public Task<InboundMessage?> GetAsync(Guid messageId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM inbound_messages WHERE message_id = @id", Read, cancellationToken, ("id", messageId.ToString()));

    /// <summary>Newest first; metadata only.</summary>
    public Task<IReadOnlyList<InboundMessage>> ListAsync(int max, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT {Columns} FROM inbound_messages ORDER BY received_at DESC, message_id LIMIT @max", Read, cancellationToken, ("max", max));

    /// <summary>Received messages the node has not acted on or not announced yet, oldest first.</summary>
    public Task<IReadOnlyList<InboundMessage>> ListUnprocessedAsync(int max, CancellationToken cancellationToken) =>
        database.QueryAsync(PendingQuery, Read, cancellationToken, ("max", max));

    public async Task<int> CountAsync(CancellationToken cancellationToken) =>
        Convert.ToInt32(await database.ScalarAsync("SELECT COUNT(*) FROM inbound_messages", cancellationToken));

    /// <summary>
    /// Settles a received message in one transaction: optionally erases the content of everything <paramref name="erase"/>
    /// names (the conversation with that peer, except Erasure messages themselves, and this node's copy of what it sent
    /// there) and stores a <paramref name="reply"/> (its statements and audit lines). Returns how many received messages'
    /// content was erased, or null when another processor (a second replica) settled it first.
    /// </summary>
    public async Task<int?> CompleteAsync(Guid messageId, DateTimeOffset now, DataHolder? erase, UnitOfWork? reply, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginAsync(cancellationToken);
        var marked = await transaction.ExecuteAsync("UPDATE inbound_messages SET processed_at = @now WHERE message_id = @id AND processed_at IS NULL",
            cancellationToken, ("now", SqlStatement.Ms(now)), ("id", messageId.ToString()));
        if (marked == 0)
        {
            return null; // Another processor settled it first: nothing done here, nothing to record.
        }

        var erased = 0;
        if (erase is not null)
        {
            erased = await transaction.ExecuteAsync("""
                UPDATE inbound_messages SET envelope = NULL, content_erased_at = @now, erasure_reason = 'CONSENT_WITHDRAWN'
                WHERE sender_id = @peer AND conversation_id = @conversation AND content_erased_at IS NULL
                  AND message_type NOT IN ('ConsentWithdrawn', 'ErasureConfirmed')
                """,
                cancellationToken, ("now", SqlStatement.Ms(now)), ("peer", erase.PeerId), ("conversation", erase.ConversationId));

            // What this node sent back in that conversation carried nothing of the person's, but its copy of
            // the content goes too: the case is closed for this node.
            await transaction.ExecuteAllAsync([SentMessageStore.EraseConversationContent(erase, now)], cancellationToken);
        }

        if (reply is not null)
        {
            await transaction.ExecuteAllAsync(reply.Statements, cancellationToken);
            transaction.AttachAll(reply.Attachments);
        }

        await transaction.CommitAsync(cancellationToken);
        return erased;
    }

    /// <summary>Whether <paramref name="holder"/>'s sender already withdrew consent in that conversation (a ConsentWithdrawn arrived).</summary>
    public async Task<bool> HasWithdrawalAsync(DataHolder holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        return Convert.ToInt32(await database.ScalarAsync("""
            SELECT COUNT(*) FROM inbound_messages WHERE sender_id = @peer AND conversation_id = @conversation AND message_type = 'ConsentWithdrawn'
            """, cancellationToken, ("peer", holder.PeerId), ("conversation", holder.ConversationId))) > 0;
    }

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

    /// <summary>How many received messages of a conversation with a peer still hold content that a withdrawal erases.</summary>
    public async Task<int> CountErasableAsync(DataHolder holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        return Convert.ToInt32(await database.ScalarAsync("""
            SELECT COUNT(*) FROM inbound_messages
            WHERE sender_id = @peer AND conversation_id = @conversation AND content_erased_at IS NULL
              AND message_type NOT IN ('ConsentWithdrawn', 'ErasureConfirmed')
            """, cancellationToken, ("peer", holder.PeerId), ("conversation", holder.ConversationId)));
    }

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
