using System.Data.Common;
using System.Text.Json;

namespace Gateway.Service.Persistence;

/// <summary>
/// The node's source of truth (DESIGN §8–9): outbound messages with their outbox rows and attempts, and inbound
/// envelopes with their receipts. One implementation for SQLite and PostgreSQL; the same contract tests run on both.
/// </summary>
public sealed partial class GatewayStore : IAsyncDisposable
{
    private readonly StoreDialect _dialect;

    public GatewayStore(StorageProvider provider, string connectionString)
    {
        _dialect = StoreDialect.Create(provider, connectionString);
        _auditedInserts = new(WriteTogetherAsync, MaxGroupedWrites);
        _completions = new(CompleteTogetherAsync, MaxGroupedWrites);
        _claims = new(ClaimTogetherAsync, MaxGroupedWrites);
    }

    public StorageProvider Provider => _dialect.Provider;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var blob = _dialect.BinaryType;
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        if (_dialect.DatabaseSettingsSql.Length > 0)
        {
            await ExecuteAsync(connection, null, _dialect.DatabaseSettingsSql, cancellationToken);
        }

        await RefuseEarlierSchemaAsync(connection, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, _dialect.SchemaLockSql + $"""
            CREATE TABLE IF NOT EXISTS gateway_schema (version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS outbound_messages (
                message_id TEXT PRIMARY KEY,
                peer_id TEXT NOT NULL,
                message_type TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                in_reply_to TEXT NULL,
                purpose TEXT NOT NULL,
                legal_basis TEXT NULL,
                consent_id TEXT NULL,
                justification TEXT NULL,
                disclosure_profile TEXT NOT NULL,
                disclosed_fields TEXT NOT NULL,
                submitted_by TEXT NOT NULL,
                idempotency_key TEXT NULL UNIQUE,
                envelope {blob} NULL,
                content {blob} NULL,
                content_erased_at BIGINT NULL,
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
            CREATE INDEX IF NOT EXISTS ix_outbound_consent ON outbound_messages (consent_id);
            CREATE INDEX IF NOT EXISTS ix_outbound_open ON outbound_messages (peer_id, state, created_at) WHERE {OpenStates};
            CREATE INDEX IF NOT EXISTS ix_outbound_peer_delivered ON outbound_messages (peer_id, delivered_at);
            CREATE TABLE IF NOT EXISTS message_transitions (
                seq {_dialect.AutoIncrementKey},
                message_id TEXT NOT NULL,
                at BIGINT NOT NULL,
                state TEXT NOT NULL,
                reason TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_transitions_message ON message_transitions (message_id);
            CREATE TABLE IF NOT EXISTS peer_controls (
                peer_id TEXT PRIMARY KEY,
                suspended_at BIGINT NULL,
                suspended_by TEXT NULL);
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
                in_reply_to TEXT NULL,
                purpose TEXT NULL,
                legal_basis TEXT NULL,
                disclosure_profile TEXT NULL,
                created_at BIGINT NOT NULL,
                envelope {blob} NULL,
                envelope_sha256 TEXT NOT NULL,
                receipt {blob} NOT NULL,
                received_at BIGINT NOT NULL,
                processed_at BIGINT NULL,
                published_at BIGINT NULL,
                content_erased_at BIGINT NULL,
                erasure_reason TEXT NULL);
            CREATE INDEX IF NOT EXISTS ix_inbound_conversation ON inbound_messages (sender_id, conversation_id);
            CREATE INDEX IF NOT EXISTS ix_inbound_pending ON inbound_messages (received_at, message_id) WHERE {PendingInbound};
            CREATE TABLE IF NOT EXISTS consents (
                consent_id TEXT PRIMARY KEY,
                subject_ref TEXT NOT NULL,
                given_by TEXT NOT NULL,
                subject_minor INTEGER NOT NULL,
                child_heard INTEGER NOT NULL,
                scope TEXT NOT NULL,
                valid_from BIGINT NOT NULL,
                valid_until BIGINT NOT NULL,
                evidence_ref TEXT NOT NULL,
                recorded_at BIGINT NOT NULL,
                recorded_by TEXT NOT NULL,
                withdrawn_at BIGINT NULL,
                withdrawn_by TEXT NULL);
            CREATE TABLE IF NOT EXISTS erasure_requests (
                consent_id TEXT NOT NULL,
                peer_id TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                request_message_id TEXT NOT NULL UNIQUE,
                requested_at BIGINT NOT NULL,
                confirmed_at BIGINT NULL,
                confirmation_message_id TEXT NULL,
                PRIMARY KEY (consent_id, peer_id, conversation_id));
            CREATE TABLE IF NOT EXISTS audit_log (
                seq BIGINT PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                message_id TEXT NULL,
                peer_id TEXT NULL,
                conversation_id TEXT NULL,
                detail TEXT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS audit_checkpoints (
                seq BIGINT PRIMARY KEY,
                hash TEXT NOT NULL,
                at BIGINT NOT NULL,
                signature {blob} NOT NULL);
            """, cancellationToken);
        await EnsureSchemaVersionAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Tables are created, never altered: a database made by an earlier schema is refused with what to do.</summary>
    private static async Task EnsureSchemaVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var read = Command(connection, transaction, "SELECT version FROM gateway_schema");
        var found = await read.ExecuteScalarAsync(cancellationToken);
        if (found is null or DBNull)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO gateway_schema (version) VALUES (@version)", cancellationToken, ("version", SchemaVersion));
        }
        else if (Convert.ToInt32(found) != SchemaVersion)
        {
            throw new InvalidOperationException($"the database has gateway schema {found}; this gateway needs schema {SchemaVersion}: point it at a new database (or data directory)");
        }
    }

    private const int SchemaVersion = 3;

    /// <summary>The first schema had no version table; its tables lack the consent columns.</summary>
    private async Task RefuseEarlierSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, null, "SELECT consent_id FROM outbound_messages WHERE 1 = 0", cancellationToken);
        }
        catch (DbException exception) when (_dialect.IsUndefinedColumn(exception))
        {
            throw new InvalidOperationException("the database was made by an earlier gateway schema: point the gateway at a new database (or data directory)", exception);
        }
        catch (DbException)
        {
            // No table yet: a new database.
        }
    }

    /// <summary>Stores the message with its outbox row and first transition inside the caller's transaction.</summary>
    private static Task<int[]> InsertOutboundAsync(DbConnection connection, DbTransaction transaction, OutboundMessage message, CancellationToken cancellationToken) =>
        ExecuteAllAsync(connection, transaction, [.. OutboundInserts(message)], cancellationToken);

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
    public async Task<IReadOnlyList<Guid>> LeaseDueOutboxAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
        [.. (await LeaseDueDeliveriesAsync(now, lease, max, cancellationToken)).Select(due => due.MessageId)];

    /// <summary>
    /// Like <see cref="LeaseDueOutboxAsync"/>, with each message's peer, so the relay can send it to that peer's
    /// queue. Messages of a suspended peer are not leased.
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> LeaseDueDeliveriesAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            UPDATE outbox SET lease_until = @lease
            WHERE message_id IN (
                SELECT o.message_id FROM outbox o JOIN outbound_messages m ON m.message_id = o.message_id
                WHERE o.publish_after <= @now AND (o.lease_until IS NULL OR o.lease_until < @now) AND m.state <> 'Suspended'
                ORDER BY o.publish_after LIMIT @max)
              AND (lease_until IS NULL OR lease_until < @now)
            RETURNING message_id, (SELECT peer_id FROM outbound_messages m WHERE m.message_id = outbox.message_id)
            """, ("lease", Ms(now + lease)), ("now", Ms(now)), ("max", max));
        return await ReadAllAsync(command, reader => new DueDelivery(Guid.Parse(reader.GetString(0)), reader.GetString(1)), cancellationToken);
    }

    /// <summary>
    /// Shortens the lease of rows the relay could not publish so they come due again at <paramref name="retryAt"/>
    /// rather than when the lease runs out. Only rows still under the lease the relay took are touched.
    /// </summary>
    public async Task ReleaseOutboxLeasesAsync(IReadOnlyCollection<Guid> messageIds, DateTimeOffset leasedUntil, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return;
        }

        await ExecuteAllInTransactionAsync([.. messageIds.Select(id => new Statement(
            "UPDATE outbox SET lease_until = @retry WHERE message_id = @id AND lease_until = @leased",
            [("retry", Ms(retryAt)), ("id", id.ToString()), ("leased", Ms(leasedUntil))]))], cancellationToken);
    }

    /// <summary>
    /// Moves a due message to InFlight and counts the attempt; null when it is not due, already delivered, or
    /// being delivered by another consumer whose lease has not expired (a duplicate broker message).
    /// </summary>
    public Task<OutboundMessage?> TryStartAttemptAsync(Guid messageId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        _claims.WriteAsync(new AttemptClaim(messageId, now, lease), cancellationToken);

    /// <summary>Every claim first (in one round trip), then the InFlight transition of each message claimed (in one), one commit.</summary>
    private async Task<OutboundMessage?[]> ClaimTogetherAsync(IReadOnlyList<AttemptClaim> claims, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await QueryFirstOfEachAsync(connection, transaction, [.. claims.Select(claim => new Statement($"""
            UPDATE outbound_messages
            SET state = 'InFlight', attempts = attempts + 1, lease_until = @lease, updated_at = @now
            WHERE message_id = @id
              AND ((state IN ('Queued', 'RetryWaiting') AND next_attempt_at <= @now) OR (state = 'InFlight' AND lease_until < @now))
            RETURNING {OutboundColumns}
            """, [("id", claim.MessageId.ToString()), ("now", Ms(claim.Now)), ("lease", Ms(claim.Now + claim.Lease))]))], ReadOutbound, cancellationToken);
        var transitions = claims
            .Select((claim, i) => (claim, message: claimed[i]))
            .Where(pair => pair.message is not null)
            .Select(pair => TransitionInsert(pair.claim.MessageId, pair.claim.Now, DeliveryState.InFlight, $"ATTEMPT {pair.message!.Attempts}"))
            .ToList();
        if (transitions.Count > 0)
        {
            await ExecuteAllAsync(connection, transaction, transitions, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private static Task<int> RecordTransitionAsync(DbConnection connection, DbTransaction transaction, Guid messageId, DateTimeOffset at, DeliveryState state, string reason, CancellationToken cancellationToken)
    {
        var insert = TransitionInsert(messageId, at, state, reason);
        return ExecuteAsync(connection, transaction, insert.Sql, cancellationToken, insert.Parameters);
    }

    private static Statement TransitionInsert(Guid messageId, DateTimeOffset at, DeliveryState state, string reason) =>
        new("INSERT INTO message_transitions (message_id, at, state, reason) VALUES (@id, @at, @state, @reason)",
            [("id", messageId.ToString()), ("at", Ms(at)), ("state", state.ToString()), ("reason", reason)]);

    /// <summary>
    /// Records the attempt and the message's new state in one transaction (possibly shared with other completions),
    /// and settles the outbox row: gone once the message is final, rescheduled for a retry. Only the claimant of that
    /// attempt can complete it: false for a stale or repeated completion, which changes nothing.
    /// </summary>
    public Task<bool> CompleteAttemptAsync(AttemptCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return _completions.WriteAsync(completion, cancellationToken);
    }

    /// <summary>Every state change first (in one round trip), then attempt, transition and outbox row of those that changed (in one).</summary>
    private async Task<bool[]> CompleteTogetherAsync(IReadOnlyList<AttemptCompletion> completions, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await ExecuteAllAsync(connection, transaction, [.. completions.Select(completion => new Statement("""
            UPDATE outbound_messages
            SET state = @state, lease_until = NULL, last_error = @error, updated_at = @finished,
                receipt = COALESCE(@receipt, receipt),
                delivered_at = CASE WHEN @state = 'Delivered' THEN @finished ELSE delivered_at END,
                next_attempt_at = COALESCE(@next, next_attempt_at)
            WHERE message_id = @id AND state = 'InFlight' AND attempts = @attempt
            """,
            [("state", completion.Attempt.Outcome.ToString()), ("error", completion.Attempt.ErrorCode), ("finished", Ms(completion.Attempt.FinishedAt)),
            ("receipt", completion.Receipt), ("next", completion.NextAttemptAt is { } next ? Ms(next) : null),
            ("id", completion.Attempt.MessageId.ToString()), ("attempt", completion.Attempt.Attempt)]))], cancellationToken);
        var completed = updated.Select(count => count == 1).ToArray();
        var records = completions.Where((_, i) => completed[i]).SelectMany(CompletionRecords).ToList();
        if (records.Count > 0)
        {
            await ExecuteAllAsync(connection, transaction, records, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return completed;
    }

    private static IEnumerable<Statement> CompletionRecords(AttemptCompletion completion)
    {
        var attempt = completion.Attempt;
        var id = attempt.MessageId.ToString();
        var finished = Ms(attempt.FinishedAt);
        yield return new("""
            INSERT INTO delivery_attempts (message_id, attempt, started_at, finished_at, outcome, http_status, error_code)
            VALUES (@id, @attempt, @started, @finished, @outcome, @status, @error)
            """,
            [("id", id), ("attempt", attempt.Attempt), ("started", Ms(attempt.StartedAt)), ("finished", finished),
            ("outcome", attempt.Outcome.ToString()), ("status", attempt.HttpStatus), ("error", attempt.ErrorCode)]);
        yield return TransitionInsert(attempt.MessageId, attempt.FinishedAt, attempt.Outcome,
            attempt.ErrorCode ?? (attempt.HttpStatus is { } http ? $"HTTP {http}" : attempt.Outcome.ToString().ToUpperInvariant()));
        yield return attempt.Outcome == DeliveryState.RetryWaiting
            ? new("UPDATE outbox SET publish_after = @next, lease_until = NULL WHERE message_id = @id", [("id", id), ("next", completion.NextAttemptAt is { } when ? Ms(when) : finished)])
            : new("DELETE FROM outbox WHERE message_id = @id", [("id", id)]);
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

    public Task<InboundMessage?> GetInboundAsync(Guid messageId, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {InboundColumns} FROM inbound_messages WHERE message_id = @id", ReadInbound, cancellationToken, ("id", messageId.ToString()));

    private const string InboundColumns =
        "message_id, sender_id, message_type, conversation_id, in_reply_to, purpose, legal_basis, disclosure_profile, created_at, envelope, "
        + "envelope_sha256, receipt, received_at, processed_at, content_erased_at, erasure_reason, published_at";

    private static InboundMessage ReadInbound(DbDataReader reader) => new()
    {
        MessageId = Guid.Parse(reader.GetString(0)),
        SenderId = reader.GetString(1),
        MessageType = reader.GetString(2),
        ConversationId = reader.GetString(3),
        InReplyTo = reader.IsDBNull(4) ? null : Guid.Parse(reader.GetString(4)),
        Purpose = reader.IsDBNull(5) ? null : reader.GetString(5),
        LegalBasis = reader.IsDBNull(6) ? null : reader.GetString(6),
        DisclosureProfile = reader.IsDBNull(7) ? null : reader.GetString(7),
        CreatedAt = FromMs(reader.GetInt64(8)),
        Envelope = reader.IsDBNull(9) ? null : (byte[])reader.GetValue(9),
        EnvelopeSha256 = reader.GetString(10),
        Receipt = (byte[])reader.GetValue(11),
        ReceivedAt = FromMs(reader.GetInt64(12)),
        ProcessedAt = reader.IsDBNull(13) ? null : FromMs(reader.GetInt64(13)),
        ContentErasedAt = reader.IsDBNull(14) ? null : FromMs(reader.GetInt64(14)),
        ErasureReason = reader.IsDBNull(15) ? null : reader.GetString(15),
        PublishedAt = reader.IsDBNull(16) ? null : FromMs(reader.GetInt64(16)),
    };

    public async Task<int> CountInboundAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT COUNT(*) FROM inbound_messages");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    private const string OutboundColumns =
        "message_id, peer_id, message_type, conversation_id, idempotency_key, envelope, state, attempts, created_at, expires_at, next_attempt_at, last_error, receipt, delivered_at, "
        + "in_reply_to, purpose, legal_basis, consent_id, justification, disclosure_profile, disclosed_fields, submitted_by, content, content_erased_at";

    private static OutboundMessage ReadOutbound(DbDataReader reader) => new()
    {
        MessageId = Guid.Parse(reader.GetString(0)),
        PeerId = reader.GetString(1),
        MessageType = reader.GetString(2),
        ConversationId = reader.GetString(3),
        IdempotencyKey = reader.IsDBNull(4) ? null : reader.GetString(4),
        Envelope = reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5),
        State = Enum.Parse<DeliveryState>(reader.GetString(6)),
        Attempts = Convert.ToInt32(reader.GetValue(7)),
        CreatedAt = FromMs(reader.GetInt64(8)),
        ExpiresAt = FromMs(reader.GetInt64(9)),
        NextAttemptAt = FromMs(reader.GetInt64(10)),
        LastError = reader.IsDBNull(11) ? null : reader.GetString(11),
        Receipt = reader.IsDBNull(12) ? null : (byte[])reader.GetValue(12),
        DeliveredAt = reader.IsDBNull(13) ? null : FromMs(reader.GetInt64(13)),
        InReplyTo = reader.IsDBNull(14) ? null : Guid.Parse(reader.GetString(14)),
        Purpose = reader.GetString(15),
        LegalBasis = reader.IsDBNull(16) ? null : reader.GetString(16),
        ConsentId = reader.IsDBNull(17) ? null : Guid.Parse(reader.GetString(17)),
        Justification = reader.IsDBNull(18) ? null : reader.GetString(18),
        DisclosureProfile = reader.GetString(19),
        DisclosedFields = JsonSerializer.Deserialize<string[]>(reader.GetString(20)) ?? [],
        SubmittedBy = reader.GetString(21),
        Content = reader.IsDBNull(22) ? null : (byte[])reader.GetValue(22),
        ContentErasedAt = reader.IsDBNull(23) ? null : FromMs(reader.GetInt64(23)),
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
