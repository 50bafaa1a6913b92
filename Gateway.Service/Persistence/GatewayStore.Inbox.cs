using System.Data.Common;

namespace Gateway.Service.Persistence;

/// <summary>Received messages as the caseworker and the inbox processor see them, and erasure of their content.</summary>
public sealed partial class GatewayStore
{
    /// <summary>Newest first; metadata only.</summary>
    public async Task<IReadOnlyList<InboundMessage>> ListInboundAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {InboundColumns} FROM inbound_messages ORDER BY received_at DESC, message_id LIMIT @max", ("max", max));
        return await ReadAllAsync(command, ReadInbound, cancellationToken);
    }

    /// <summary>The inbox processor's poll: served by the partial index ix_inbound_pending, whose predicate is the same text.</summary>
    internal const string PendingInboundQuery =
        "SELECT " + InboundColumns + " FROM inbound_messages WHERE " + PendingInbound + " ORDER BY received_at, message_id LIMIT @max";

    private const string PendingInbound = "processed_at IS NULL OR published_at IS NULL";

    /// <summary>Received messages the node has not acted on or not announced yet, oldest first.</summary>
    public async Task<IReadOnlyList<InboundMessage>> ListUnprocessedInboundAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, PendingInboundQuery, ("max", max));
        return await ReadAllAsync(command, ReadInbound, cancellationToken);
    }

    /// <summary>
    /// Settles a received message in one transaction: optionally erases the content of everything <paramref name="erase"/>
    /// names (the conversation with that peer, except Erasure messages themselves) and stores a reply with its outbox row.
    /// Returns how many messages' content was erased, or null when another processor (a second replica) settled it first.
    /// </summary>
    public async Task<int?> CompleteInboundAsync(Guid messageId, DateTimeOffset now, DataHolder? erase, OutboundMessage? reply, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var marked = await ExecuteAsync(connection, transaction, "UPDATE inbound_messages SET processed_at = @now WHERE message_id = @id AND processed_at IS NULL",
            cancellationToken, ("now", Ms(now)), ("id", messageId.ToString()));
        if (marked == 0)
        {
            return null; // Another processor settled it first: nothing done here, nothing to record.
        }

        var erased = 0;
        if (erase is not null)
        {
            erased = await ExecuteAsync(connection, transaction, """
                UPDATE inbound_messages SET envelope = NULL, content_erased_at = @now, erasure_reason = 'CONSENT_WITHDRAWN'
                WHERE sender_id = @peer AND conversation_id = @conversation AND content_erased_at IS NULL
                  AND message_type NOT IN ('ConsentWithdrawn', 'ErasureConfirmed')
                """,
                cancellationToken, ("now", Ms(now)), ("peer", erase.PeerId), ("conversation", erase.ConversationId));

            // What this node sent back in that conversation carried nothing of the person's, but its copy of
            // the content goes too: the case is closed for this node.
            await ExecuteAsync(connection, transaction, """
                UPDATE outbound_messages SET content = NULL, content_erased_at = COALESCE(content_erased_at, @now)
                WHERE peer_id = @peer AND conversation_id = @conversation AND message_type NOT IN ('ConsentWithdrawn', 'ErasureConfirmed')
                """,
                cancellationToken, ("now", Ms(now)), ("peer", erase.PeerId), ("conversation", erase.ConversationId));
        }

        if (reply is not null)
        {
            await InsertOutboundAsync(connection, transaction, reply, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return erased;
    }

    /// <summary>Removes this node's copy of what it sent in one message (envelope and content); metadata and receipt stay.</summary>
    public async Task EraseOutboundContentAsync(Guid messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            UPDATE outbound_messages SET envelope = NULL, content = NULL, content_erased_at = COALESCE(content_erased_at, @now)
            WHERE message_id = @id AND state IN ('Delivered', 'Failed', 'Cancelled')
            """,
            cancellationToken, ("now", Ms(now)), ("id", messageId.ToString()));
    }

    /// <summary>Whether <paramref name="holder"/>'s sender already withdrew consent in that conversation (a ConsentWithdrawn arrived).</summary>
    public async Task<bool> HasWithdrawalAsync(DataHolder holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT COUNT(*) FROM inbound_messages WHERE sender_id = @peer AND conversation_id = @conversation AND message_type = 'ConsentWithdrawn'
            """, ("peer", holder.PeerId), ("conversation", holder.ConversationId));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken)) > 0;
    }

    /// <summary>
    /// Settles, in one transaction, those of the messages that need nothing but the mark: not settled yet, not an
    /// erasure message, and in a conversation with no withdrawal from its sender. Returns the ids it settled; the
    /// others are left for <see cref="CompleteInboundAsync"/>.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> SettlePlainInboundAsync(IReadOnlyList<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var settled = await ExecuteAllInTransactionAsync([.. messageIds.Select(id => new Statement("""
            UPDATE inbound_messages SET processed_at = @now
            WHERE message_id = @id AND processed_at IS NULL AND message_type NOT IN ('ConsentWithdrawn', 'ErasureConfirmed')
              AND NOT EXISTS (SELECT 1 FROM inbound_messages w
                              WHERE w.sender_id = inbound_messages.sender_id AND w.conversation_id = inbound_messages.conversation_id
                                AND w.message_type = 'ConsentWithdrawn')
            """, [("now", Ms(now)), ("id", id.ToString())]))], cancellationToken);
        return messageIds.Where((_, i) => settled[i] == 1).ToHashSet();
    }

    /// <summary>Marks received messages' events as published, in one transaction.</summary>
    public async Task MarkInboundPublishedAsync(IReadOnlyList<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return;
        }

        await ExecuteAllInTransactionAsync([.. messageIds.Select(id => new Statement(
            "UPDATE inbound_messages SET published_at = @now WHERE message_id = @id AND published_at IS NULL",
            [("now", Ms(now)), ("id", id.ToString())]))], cancellationToken);
    }

    /// <summary>How many received messages of a conversation with a peer still hold content that a withdrawal erases.</summary>
    public async Task<int> CountErasableAsync(DataHolder holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT COUNT(*) FROM inbound_messages
            WHERE sender_id = @peer AND conversation_id = @conversation AND content_erased_at IS NULL
              AND message_type NOT IN ('ConsentWithdrawn', 'ErasureConfirmed')
            """, ("peer", holder.PeerId), ("conversation", holder.ConversationId));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>Sent messages under one legal basis, newest first: what operators review for VitalInterests.</summary>
    public async Task<IReadOnlyList<OutboundMessage>> ListOutboundByLegalBasisAsync(string legalBasis, int max, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {OutboundColumns} FROM outbound_messages WHERE legal_basis = @basis ORDER BY created_at DESC LIMIT @max", ("basis", legalBasis), ("max", max));
        return await ReadAllAsync(command, ReadOutbound, cancellationToken);
    }

    /// <summary>Sent messages, newest first.</summary>
    public async Task<IReadOnlyList<OutboundMessage>> ListOutboundAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {OutboundColumns} FROM outbound_messages ORDER BY created_at DESC, message_id LIMIT @max", ("max", max));
        return await ReadAllAsync(command, ReadOutbound, cancellationToken);
    }

    /// <summary>
    /// Retention (DESIGN §9): erases the content of received messages older than <paramref name="inboundBefore"/>
    /// and of sent messages that are settled and older than <paramref name="outboundBefore"/>. Metadata and receipts stay.
    /// </summary>
    public async Task<(int Inbound, int Outbound)> PurgeContentAsync(DateTimeOffset inboundBefore, DateTimeOffset outboundBefore, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inbound = await ExecuteAsync(connection, transaction, """
            UPDATE inbound_messages SET envelope = NULL, content_erased_at = @now, erasure_reason = 'RETENTION'
            WHERE received_at < @before AND content_erased_at IS NULL AND processed_at IS NOT NULL
            """,
            cancellationToken, ("now", Ms(now)), ("before", Ms(inboundBefore)));
        var outbound = await ExecuteAsync(connection, transaction, """
            UPDATE outbound_messages SET envelope = NULL, content = NULL, content_erased_at = @now
            WHERE created_at < @before AND content_erased_at IS NULL AND state IN ('Delivered', 'Failed', 'Cancelled')
            """,
            cancellationToken, ("now", Ms(now)), ("before", Ms(outboundBefore)));
        await transaction.CommitAsync(cancellationToken);
        return (inbound, outbound);
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
