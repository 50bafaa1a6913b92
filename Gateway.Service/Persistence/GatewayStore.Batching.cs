using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;

namespace Gateway.Service.Persistence;

/// <summary>
/// Group commit of the writes that happen once per message and carry audit lines: a submission (message, outbox row,
/// transition, audit) and a reception (envelope with receipt, audit). Every such write takes the audit chain's lock,
/// so one at a time they queue behind each other; here whatever arrived while the previous transaction ran is written
/// in the next one — the lock, the chain's head and the commit once for all of them, the inserts sent together.
/// Nothing waits for a timer: under light load a batch is one write, as before. Each caller still gets its own answer
/// only after the transaction holding its row committed.
/// </summary>
public sealed partial class GatewayStore
{
    /// <summary>Most writes in one transaction; the rest go into the next.</summary>
    internal const int MaxGroupedWrites = 64;

    private readonly ConcurrentQueue<GroupedWrite> _groupedWrites = new();
    private int _groupWriterRunning;
    private long _groupTransactions;

    /// <summary>Writes waiting for the next transaction (tests watch it to know a group has formed).</summary>
    internal int QueuedGroupedWrites => _groupedWrites.Count;

    /// <summary>Transactions that committed grouped writes, since this store was made.</summary>
    internal long GroupTransactions => Interlocked.Read(ref _groupTransactions);

    /// <summary>Stores the message (Queued), its outbox row and its audit lines in one transaction, possibly shared with other submissions.</summary>
    public async Task AddOutboundAsync(OutboundMessage message, CancellationToken cancellationToken, IReadOnlyList<AuditEntry>? audit = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        await WriteGroupedAsync(new GroupedWrite(message, null, audit ?? []), cancellationToken);
    }

    /// <summary>
    /// Stores a received envelope and, in the same transaction, its audit line; false when its message id is already
    /// stored (nothing is changed then).
    /// </summary>
    public async Task<bool> TryAddInboundAsync(InboundMessage message, CancellationToken cancellationToken, AuditEntry? audit = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return await WriteGroupedAsync(new GroupedWrite(null, message, audit is null ? [] : [audit]), cancellationToken);
    }

    private Task<bool> WriteGroupedAsync(GroupedWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        write.CancellationToken = cancellationToken;
        _groupedWrites.Enqueue(write);
        if (Interlocked.CompareExchange(ref _groupWriterRunning, 1, 0) == 0)
        {
            _ = Task.Run(WriteQueuedGroupsAsync, CancellationToken.None);
        }

        // Not abandoned on cancellation: once queued, the caller learns whether its row committed.
        return write.Done.Task;
    }

    /// <summary>One writer at a time drains the queue; it stops when the queue is empty and no write slipped in meanwhile.</summary>
    private async Task WriteQueuedGroupsAsync()
    {
        while (true)
        {
            var group = new List<GroupedWrite>();
            while (group.Count < MaxGroupedWrites && _groupedWrites.TryDequeue(out var next))
            {
                if (next.CancellationToken.IsCancellationRequested)
                {
                    next.Done.TrySetCanceled(next.CancellationToken);
                }
                else
                {
                    group.Add(next);
                }
            }

            if (group.Count > 0)
            {
                try
                {
                    await WriteGroupAsync(group);
                }
                catch (Exception exception)
                {
                    // WriteGroupAsync answers every write itself; this only keeps the writer alive if that ever fails.
                    foreach (var write in group)
                    {
                        write.Done.TrySetException(exception);
                    }
                }

                continue;
            }

            Volatile.Write(ref _groupWriterRunning, 0);
            if (_groupedWrites.IsEmpty || Interlocked.CompareExchange(ref _groupWriterRunning, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async Task WriteGroupAsync(List<GroupedWrite> group)
    {
        if (group.Count > 1)
        {
            try
            {
                var stored = await WriteTogetherAsync(group, CancellationToken.None);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.TrySetResult(stored[i]);
                }

                return;
            }
            catch (Exception)
            {
                // One refused row (a reused idempotency key) refuses the whole transaction, and nothing of it was
                // stored: each write again on its own, so each caller gets its own answer.
            }
        }

        foreach (var write in group)
        {
            try
            {
                write.Done.TrySetResult(await WriteTogetherAsync([write], write.CancellationToken) is [var stored] && stored);
            }
            catch (OperationCanceledException) when (write.CancellationToken.IsCancellationRequested)
            {
                write.Done.TrySetCanceled(write.CancellationToken);
            }
            catch (Exception exception)
            {
                write.Done.TrySetException(exception);
            }
        }
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
        Interlocked.Increment(ref _groupTransactions);
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

        await using var batch = connection.CreateBatch();
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

        await batch.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < statements.Count; i++)
        {
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return affected;
    }

    /// <summary>A submission (<see cref="Outbound"/>) or a reception (<see cref="Inbound"/>) waiting for its transaction.</summary>
    private sealed class GroupedWrite(OutboundMessage? outbound, InboundMessage? inbound, IReadOnlyList<AuditEntry> audit)
    {
        public OutboundMessage? Outbound { get; } = outbound;

        public InboundMessage? Inbound { get; } = inbound;

        public IReadOnlyList<AuditEntry> Audit { get; } = audit;

        public CancellationToken CancellationToken { get; set; }

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
