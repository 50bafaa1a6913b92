using System.Data.Common;
using System.Text.Json;

namespace Gateway.Service.Persistence;

/// <summary>
/// Group commit (<see cref="GroupCommit{TWrite, TResult}"/>) of the writes made once per message. Submissions (message,
/// outbox row, transition, audit) and receptions (envelope with receipt, audit) each took the audit chain's lock, so
/// they queued one behind another; now whatever arrived while the previous transaction ran shares the next one — the
/// lock, the chain's head and the commit once for all of them, the inserts sent together. A delivery's completion
/// (state, attempt, transition, outbox row) and an attempt's claim are grouped the same way.
/// </summary>
public sealed partial class GatewayStore
{
    /// <summary>Most writes in one transaction; the rest go into the next.</summary>
    internal const int MaxGroupedWrites = 64;

    private readonly GroupCommit<GroupedWrite, bool> _auditedInserts;

    private readonly GroupCommit<AttemptCompletion, bool> _completions;

    private readonly GroupCommit<AttemptClaim, OutboundMessage?> _claims;

    /// <summary>Submissions and receptions waiting for the next transaction.</summary>
    internal int QueuedGroupedWrites => _auditedInserts.Queued;

    /// <summary>Transactions that committed submissions and receptions, since this store was made.</summary>
    internal long GroupTransactions => _auditedInserts.Transactions;

    /// <summary>Attempt claims waiting for the next transaction.</summary>
    internal int QueuedClaims => _claims.Queued;

    /// <summary>Transactions that committed attempt claims, since this store was made.</summary>
    internal long ClaimTransactions => _claims.Transactions;

    /// <summary>Completions waiting for the next transaction.</summary>
    internal int QueuedCompletions => _completions.Queued;

    /// <summary>Transactions that committed completions, since this store was made.</summary>
    internal long CompletionTransactions => _completions.Transactions;

    /// <summary>Stores the message (Queued), its outbox row and its audit lines in one transaction, possibly shared with other submissions.</summary>
    public async Task AddOutboundAsync(OutboundMessage message, CancellationToken cancellationToken, IReadOnlyList<AuditEntry>? audit = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _auditedInserts.WriteAsync(new GroupedWrite(message, null, audit ?? []), cancellationToken);
    }

    /// <summary>
    /// Stores a received envelope and, in the same transaction, its audit line; false when its message id is already
    /// stored (nothing is changed then).
    /// </summary>
    public async Task<bool> TryAddInboundAsync(InboundMessage message, CancellationToken cancellationToken, AuditEntry? audit = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return await _auditedInserts.WriteAsync(new GroupedWrite(null, message, audit is null ? [] : [audit]), cancellationToken);
    }

    /// <summary>All rows, then the audit lines of the rows stored, chained in order, then one commit.</summary>
    private async Task<bool[]> WriteTogetherAsync(IReadOnlyList<GroupedWrite> group, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var statements = new List<Statement>();
        var firstStatement = new int[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            firstStatement[i] = statements.Count;
            statements.AddRange(group[i].Outbound is { } outbound ? OutboundInserts(outbound) : [InboundInsert(group[i].Inbound!)]);
        }

        int[] affected;
        try
        {
            affected = await ExecuteAllAsync(connection, transaction, statements, cancellationToken);
        }
        catch (DbException exception) when (group is [{ Outbound.IdempotencyKey: { } key }] && _dialect.IsUniqueViolation(exception, "outbound_messages", "idempotency_key"))
        {
            throw new DuplicateIdempotencyKeyException(key);
        }

        // An outbound row is always new (its insert fails otherwise); an inbound one may already be there.
        var stored = group.Select((write, i) => write.Outbound is not null || affected[firstStatement[i]] == 1).ToArray();
        await AppendAuditAsync(connection, transaction, [.. group.Where((_, i) => stored[i]).SelectMany(write => write.Audit)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    private static IEnumerable<Statement> OutboundInserts(OutboundMessage message)
    {
        var id = message.MessageId.ToString();
        yield return new("""
            INSERT INTO outbound_messages (message_id, peer_id, message_type, conversation_id, in_reply_to, purpose, legal_basis, consent_id,
                justification, disclosure_profile, disclosed_fields, submitted_by, idempotency_key, envelope, content, state,
                attempts, created_at, expires_at, next_attempt_at, updated_at)
            VALUES (@id, @peer, @type, @conversation, @replyTo, @purpose, @basis, @consent, @justification, @profile, @fields, @by, @key,
                @envelope, @content,
                CASE WHEN EXISTS (SELECT 1 FROM peer_controls WHERE peer_id = @peer AND suspended_at IS NOT NULL) THEN 'Suspended' ELSE @state END,
                0, @created, @expires, @next, @created)
            """,
            [("id", id), ("peer", message.PeerId), ("type", message.MessageType),
            ("conversation", message.ConversationId), ("replyTo", message.InReplyTo?.ToString()), ("purpose", message.Purpose),
            ("basis", message.LegalBasis), ("consent", message.ConsentId?.ToString()), ("justification", message.Justification),
            ("profile", message.DisclosureProfile), ("fields", JsonSerializer.Serialize(message.DisclosedFields)), ("by", message.SubmittedBy),
            ("key", message.IdempotencyKey), ("envelope", message.Envelope), ("content", message.Content),
            ("state", message.State.ToString()), ("created", Ms(message.CreatedAt)), ("expires", Ms(message.ExpiresAt)),
            ("next", Ms(message.NextAttemptAt))]);
        yield return new("INSERT INTO outbox (message_id, publish_after) VALUES (@id, @next)", [("id", id), ("next", Ms(message.NextAttemptAt))]);
        yield return new("""
            INSERT INTO message_transitions (message_id, at, state, reason)
                SELECT message_id, created_at, state, 'SUBMITTED' FROM outbound_messages WHERE message_id = @id
            """, [("id", id)]);
    }

    private static Statement InboundInsert(InboundMessage message) => new("""
        INSERT INTO inbound_messages (message_id, sender_id, message_type, conversation_id, in_reply_to, purpose, legal_basis,
            disclosure_profile, created_at, envelope, envelope_sha256, receipt, received_at)
        VALUES (@id, @sender, @type, @conversation, @replyTo, @purpose, @basis, @profile, @created, @envelope, @digest, @receipt, @received)
        ON CONFLICT (message_id) DO NOTHING
        """,
        [("id", message.MessageId.ToString()), ("sender", message.SenderId), ("type", message.MessageType),
        ("conversation", message.ConversationId), ("replyTo", message.InReplyTo?.ToString()), ("purpose", message.Purpose),
        ("basis", message.LegalBasis), ("profile", message.DisclosureProfile), ("created", Ms(message.CreatedAt)),
        ("envelope", message.Envelope), ("digest", message.EnvelopeSha256),
        ("receipt", message.Receipt), ("received", Ms(message.ReceivedAt))]);

    /// <summary>One SQL statement with its parameters.</summary>
    private readonly record struct Statement(string Sql, (string Name, object? Value)[] Parameters);

    /// <summary>
    /// Runs the statements in order inside the transaction and returns each one's affected rows: in one round trip
    /// where the provider batches (Npgsql), one after another where it does not (SQLite, in-process anyway).
    /// </summary>
    private static async Task<int[]> ExecuteAllAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Statement> statements, CancellationToken cancellationToken)
    {
        var affected = new int[statements.Count];
        if (!connection.CanCreateBatch)
        {
            for (var i = 0; i < statements.Count; i++)
            {
                affected[i] = await ExecuteAsync(connection, transaction, statements[i].Sql, cancellationToken, statements[i].Parameters);
            }

            return affected;
        }

        await using var batch = Batch(connection, transaction, statements);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < statements.Count; i++)
        {
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return affected;
    }

    /// <summary><see cref="ExecuteAllAsync"/> in a transaction of its own.</summary>
    private async Task<int[]> ExecuteAllInTransactionAsync(IReadOnlyList<Statement> statements, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var affected = await ExecuteAllAsync(connection, transaction, statements, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return affected;
    }

    /// <summary>Like <see cref="ExecuteAllAsync"/> for statements that return rows: the first row of each, or null.</summary>
    private static async Task<T?[]> QueryFirstOfEachAsync<T>(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<Statement> statements, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var rows = new T?[statements.Count];
        if (!connection.CanCreateBatch)
        {
            for (var i = 0; i < statements.Count; i++)
            {
                await using var command = Command(connection, transaction, statements[i].Sql, statements[i].Parameters);
                await using var single = await command.ExecuteReaderAsync(cancellationToken);
                rows[i] = await single.ReadAsync(cancellationToken) ? read(single) : null;
            }

            return rows;
        }

        await using var batch = Batch(connection, transaction, statements);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; i < statements.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(cancellationToken))
            {
                throw new InvalidOperationException($"the batch returned {i} results for {statements.Count} statements");
            }

            rows[i] = await reader.ReadAsync(cancellationToken) ? read(reader) : null;
        }

        return rows;
    }

    private static DbBatch Batch(DbConnection connection, DbTransaction transaction, IReadOnlyList<Statement> statements)
    {
        var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var statement in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            foreach (var (name, value) in statement.Parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    /// <summary>A submission (<see cref="Outbound"/>) or a reception (<see cref="Inbound"/>).</summary>
    private sealed record AttemptClaim(Guid MessageId, DateTimeOffset Now, TimeSpan Lease);

    private sealed record GroupedWrite(OutboundMessage? Outbound, InboundMessage? Inbound, IReadOnlyList<AuditEntry> Audit);
}
