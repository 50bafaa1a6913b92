using System.Data.Common;

namespace Gateway.Service.Persistence;

/// <summary>
/// The node's source of truth (DESIGN §8–9): outbound messages with their outbox rows and attempts, and inbound
/// envelopes with their receipts. One implementation for SQLite and PostgreSQL; the same contract tests run on both.
/// </summary>
public sealed class GatewayStore : IAsyncDisposable
{
    private readonly StoreDialect _dialect;

    public GatewayStore(StorageProvider provider, string connectionString) =>
        _dialect = StoreDialect.Create(provider, connectionString);

    public StorageProvider Provider => _dialect.Provider;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var blob = _dialect.BinaryType;
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        if (_dialect.DatabaseSettingsSql.Length > 0)
        {
            await ExecuteAsync(connection, null, _dialect.DatabaseSettingsSql, cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, _dialect.SchemaLockSql + $"""
            CREATE TABLE IF NOT EXISTS outbound_messages (
                message_id TEXT PRIMARY KEY,
                peer_id TEXT NOT NULL,
                message_type TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                idempotency_key TEXT NULL UNIQUE,
                envelope {blob} NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                lease_until BIGINT NULL,
                last_error TEXT NULL,
                receipt {blob} NULL,
                delivered_at BIGINT NULL,
                updated_at BIGINT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_outbound_peer_state ON outbound_messages (peer_id, state);
            CREATE TABLE IF NOT EXISTS outbox (
                message_id TEXT PRIMARY KEY,
                publish_after BIGINT NOT NULL,
                lease_until BIGINT NULL);
            CREATE INDEX IF NOT EXISTS ix_outbox_due ON outbox (publish_after);
            CREATE TABLE IF NOT EXISTS delivery_attempts (
                message_id TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                http_status INTEGER NULL,
                error_code TEXT NULL,
                PRIMARY KEY (message_id, attempt));
            CREATE TABLE IF NOT EXISTS inbound_messages (
                message_id TEXT PRIMARY KEY,
                sender_id TEXT NOT NULL,
                message_type TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                envelope {blob} NOT NULL,
                envelope_sha256 TEXT NOT NULL,
                receipt {blob} NOT NULL,
                received_at BIGINT NOT NULL);
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Stores the message (Queued) and its outbox row in one transaction.</summary>
    public async Task AddOutboundAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO outbound_messages (message_id, peer_id, message_type, conversation_id, idempotency_key, envelope, state,
                    attempts, created_at, expires_at, next_attempt_at, updated_at)
                VALUES (@id, @peer, @type, @conversation, @key, @envelope, @state, 0, @created, @expires, @next, @created);
                INSERT INTO outbox (message_id, publish_after) VALUES (@id, @next);
                """,
                cancellationToken,
                ("id", message.MessageId.ToString()), ("peer", message.PeerId), ("type", message.MessageType),
                ("conversation", message.ConversationId), ("key", message.IdempotencyKey), ("envelope", message.Envelope),
                ("state", message.State.ToString()), ("created", Ms(message.CreatedAt)), ("expires", Ms(message.ExpiresAt)),
                ("next", Ms(message.NextAttemptAt)));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException exception) when (message.IdempotencyKey is not null && _dialect.IsUniqueViolation(exception, "outbound_messages", "idempotency_key"))
        {
            throw new DuplicateIdempotencyKeyException(message.IdempotencyKey);
        }
    }

    public Task<OutboundMessage?> GetOutboundAsync(Guid messageId, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {OutboundColumns} FROM outbound_messages WHERE message_id = @id", ReadOutbound, cancellationToken, ("id", messageId.ToString()));

    public Task<OutboundMessage?> FindOutboundByIdempotencyKeyAsync(string key, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {OutboundColumns} FROM outbound_messages WHERE idempotency_key = @key", ReadOutbound, cancellationToken, ("key", key));

    public async Task<IReadOnlyList<DeliveryAttempt>> GetAttemptsAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT attempt, started_at, finished_at, outcome, http_status, error_code
            FROM delivery_attempts WHERE message_id = @id ORDER BY attempt
            """, ("id", messageId.ToString()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var attempts = new List<DeliveryAttempt>();
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new DeliveryAttempt
            {
                MessageId = messageId,
                Attempt = Convert.ToInt32(reader.GetValue(0)),
                StartedAt = FromMs(reader.GetInt64(1)),
                FinishedAt = FromMs(reader.GetInt64(2)),
                Outcome = Enum.Parse<DeliveryState>(reader.GetString(3)),
                HttpStatus = reader.IsDBNull(4) ? null : Convert.ToInt32(reader.GetValue(4)),
                ErrorCode = reader.IsDBNull(5) ? null : reader.GetString(5),
            });
        }

        return attempts;
    }

    /// <summary>
    /// Claims outbox rows that are due and not leased (or whose lease expired: the broker copy may be lost) for
    /// <paramref name="lease"/>, and returns their message ids for publishing.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> LeaseDueOutboxAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            UPDATE outbox SET lease_until = @lease
            WHERE message_id IN (
                SELECT message_id FROM outbox
                WHERE publish_after <= @now AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY publish_after LIMIT @max)
              AND (lease_until IS NULL OR lease_until < @now)
            RETURNING message_id
            """, ("lease", Ms(now + lease)), ("now", Ms(now)), ("max", max));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    /// <summary>
    /// Moves a due message to InFlight and counts the attempt; null when it is not due, already delivered, or
    /// being delivered by another consumer whose lease has not expired (a duplicate broker message).
    /// </summary>
    public Task<OutboundMessage?> TryStartAttemptAsync(Guid messageId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        QuerySingleAsync($"""
            UPDATE outbound_messages
            SET state = 'InFlight', attempts = attempts + 1, lease_until = @lease, updated_at = @now
            WHERE message_id = @id
              AND ((state IN ('Queued', 'RetryWaiting') AND next_attempt_at <= @now) OR (state = 'InFlight' AND lease_until < @now))
            RETURNING {OutboundColumns}
            """, ReadOutbound, cancellationToken, ("id", messageId.ToString()), ("now", Ms(now)), ("lease", Ms(now + lease)));

    /// <summary>
    /// Records the attempt and the message's new state in one transaction, and settles the outbox row: gone once
    /// the message is final, rescheduled for a retry. Only the claimant of that attempt can complete it.
    /// </summary>
    public async Task<bool> CompleteAttemptAsync(AttemptCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var attempt = completion.Attempt;
        var id = attempt.MessageId.ToString();
        var finished = Ms(attempt.FinishedAt);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await ExecuteAsync(connection, transaction, """
            UPDATE outbound_messages
            SET state = @state, lease_until = NULL, last_error = @error, updated_at = @finished,
                receipt = COALESCE(@receipt, receipt),
                delivered_at = CASE WHEN @state = 'Delivered' THEN @finished ELSE delivered_at END,
                next_attempt_at = COALESCE(@next, next_attempt_at)
            WHERE message_id = @id AND state = 'InFlight' AND attempts = @attempt
            """,
            cancellationToken,
            ("state", attempt.Outcome.ToString()), ("error", attempt.ErrorCode), ("finished", finished), ("receipt", completion.Receipt),
            ("next", completion.NextAttemptAt is { } next ? Ms(next) : null), ("id", id), ("attempt", attempt.Attempt));
        if (updated == 0)
        {
            return false;
        }

        await ExecuteAsync(connection, transaction, """
            INSERT INTO delivery_attempts (message_id, attempt, started_at, finished_at, outcome, http_status, error_code)
            VALUES (@id, @attempt, @started, @finished, @outcome, @status, @error)
            """,
            cancellationToken,
            ("id", id), ("attempt", attempt.Attempt), ("started", Ms(attempt.StartedAt)), ("finished", finished),
            ("outcome", attempt.Outcome.ToString()), ("status", attempt.HttpStatus), ("error", attempt.ErrorCode));
        await ExecuteAsync(
            connection,
            transaction,
            attempt.Outcome == DeliveryState.RetryWaiting
                ? "UPDATE outbox SET publish_after = @next, lease_until = NULL WHERE message_id = @id"
                : "DELETE FROM outbox WHERE message_id = @id",
            cancellationToken,
            ("id", id), ("next", completion.NextAttemptAt is { } when ? Ms(when) : finished));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyDictionary<DeliveryState, int>> CountOutboundByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT state, COUNT(*) FROM outbound_messages GROUP BY state");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<DeliveryState, int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[Enum.Parse<DeliveryState>(reader.GetString(0))] = Convert.ToInt32(reader.GetValue(1));
        }

        return counts;
    }

    /// <summary>Stores a received envelope; false when its message id is already stored (nothing is changed then).</summary>
    public async Task<bool> TryAddInboundAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var inserted = await ExecuteAsync(connection, null, """
            INSERT INTO inbound_messages (message_id, sender_id, message_type, conversation_id, envelope, envelope_sha256, receipt, received_at)
            VALUES (@id, @sender, @type, @conversation, @envelope, @digest, @receipt, @received)
            ON CONFLICT (message_id) DO NOTHING
            """,
            cancellationToken,
            ("id", message.MessageId.ToString()), ("sender", message.SenderId), ("type", message.MessageType),
            ("conversation", message.ConversationId), ("envelope", message.Envelope), ("digest", message.EnvelopeSha256),
            ("receipt", message.Receipt), ("received", Ms(message.ReceivedAt)));
        return inserted == 1;
    }

    public Task<InboundMessage?> GetInboundAsync(Guid messageId, CancellationToken cancellationToken) =>
        QuerySingleAsync(
            "SELECT message_id, sender_id, message_type, conversation_id, envelope, envelope_sha256, receipt, received_at FROM inbound_messages WHERE message_id = @id",
            reader => new InboundMessage
            {
                MessageId = Guid.Parse(reader.GetString(0)),
                SenderId = reader.GetString(1),
                MessageType = reader.GetString(2),
                ConversationId = reader.GetString(3),
                Envelope = (byte[])reader.GetValue(4),
                EnvelopeSha256 = reader.GetString(5),
                Receipt = (byte[])reader.GetValue(6),
                ReceivedAt = FromMs(reader.GetInt64(7)),
            },
            cancellationToken,
            ("id", messageId.ToString()));

    public async Task<int> CountInboundAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT COUNT(*) FROM inbound_messages");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    private const string OutboundColumns =
        "message_id, peer_id, message_type, conversation_id, idempotency_key, envelope, state, attempts, created_at, expires_at, next_attempt_at, last_error, receipt, delivered_at";

    private static OutboundMessage ReadOutbound(DbDataReader reader) => new()
    {
        MessageId = Guid.Parse(reader.GetString(0)),
        PeerId = reader.GetString(1),
        MessageType = reader.GetString(2),
        ConversationId = reader.GetString(3),
        IdempotencyKey = reader.IsDBNull(4) ? null : reader.GetString(4),
        Envelope = (byte[])reader.GetValue(5),
        State = Enum.Parse<DeliveryState>(reader.GetString(6)),
        Attempts = Convert.ToInt32(reader.GetValue(7)),
        CreatedAt = FromMs(reader.GetInt64(8)),
        ExpiresAt = FromMs(reader.GetInt64(9)),
        NextAttemptAt = FromMs(reader.GetInt64(10)),
        LastError = reader.IsDBNull(11) ? null : reader.GetString(11),
        Receipt = reader.IsDBNull(12) ? null : (byte[])reader.GetValue(12),
        DeliveredAt = reader.IsDBNull(13) ? null : FromMs(reader.GetInt64(13)),
    };

    private async Task<T?> QuerySingleAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
