using Gateway.Service.Outbox;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;

namespace Gateway.Service.Delivery;

/// <summary>
/// Attempts (DESIGN §8.3): claiming a due message for one attempt, and recording how the attempt ended with the
/// message's new state and its outbox row, in one transaction. Claims and completions that arrive while the previous
/// transaction runs share the next one (<see cref="GroupCommit{TWrite, TResult}"/>).
/// </summary>
public sealed class DeliveryStore
{
    private readonly Database _database;
    private readonly GroupCommit<AttemptClaim, OutboundMessage?> _claims;
    private readonly GroupCommit<AttemptCompletion, bool> _completions;

    public DeliveryStore(Database database, int maxGroupedWrites = Database.MaxGroupedWrites)
    {
        _database = database;
        _claims = new(ClaimTogetherAsync, maxGroupedWrites);
        _completions = new(CompleteTogetherAsync, maxGroupedWrites);
    }

    /// <summary>Attempt claims waiting for the next transaction.</summary>
    internal int QueuedClaims => _claims.Queued;

    /// <summary>Transactions that committed attempt claims, since this store was made.</summary>
    internal long ClaimTransactions => _claims.Transactions;

    /// <summary>Completions waiting for the next transaction.</summary>
    internal int QueuedCompletions => _completions.Queued;

    /// <summary>Transactions that committed completions, since this store was made.</summary>
    internal long CompletionTransactions => _completions.Transactions;

    /// <summary>
    /// Moves a due message to InFlight and counts the attempt; null when it is not due, already delivered, or
    /// being delivered by another consumer whose lease has not expired (a duplicate broker message).
    /// </summary>
    public Task<OutboundMessage?> TryStartAttemptAsync(Guid messageId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        _claims.WriteAsync(new AttemptClaim(messageId, now, lease), cancellationToken);

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

    public Task<IReadOnlyList<DeliveryAttempt>> GetAttemptsAsync(Guid messageId, CancellationToken cancellationToken) =>
        _database.QueryAsync("""
            SELECT attempt, started_at, finished_at, outcome, http_status, error_code
            FROM delivery_attempts WHERE message_id = @id ORDER BY attempt
            """,
            reader => new DeliveryAttempt
            {
                MessageId = messageId,
                Attempt = reader.Int(0),
                StartedAt = reader.Time(1),
                FinishedAt = reader.Time(2),
                Outcome = Enum.Parse<DeliveryState>(reader.GetString(3)),
                HttpStatus = reader.IsDBNull(4) ? null : reader.Int(4),
                ErrorCode = reader.NullableString(5),
            },
            cancellationToken, ("id", messageId.ToString()));

    /// <summary>Every claim first (in one round trip), then the InFlight transition of each message claimed (in one), one commit.</summary>
    private async Task<OutboundMessage?[]> ClaimTogetherAsync(IReadOnlyList<AttemptClaim> claims, CancellationToken cancellationToken)
    {
        await using var transaction = await _database.BeginAsync(cancellationToken);
        var claimed = await transaction.QueryFirstOfEachAsync([.. claims.Select(claim => new SqlStatement($"""
            UPDATE outbound_messages
            SET state = 'InFlight', attempts = attempts + 1, lease_until = @lease, updated_at = @now
            WHERE message_id = @id
              AND ((state IN ('Queued', 'RetryWaiting') AND next_attempt_at <= @now) OR (state = 'InFlight' AND lease_until < @now))
            RETURNING {SentMessageStore.Columns}
            """, ("id", claim.MessageId.ToString()), ("now", SqlStatement.Ms(claim.Now)), ("lease", SqlStatement.Ms(claim.Now + claim.Lease))))],
            SentMessageStore.Read, cancellationToken);
        await transaction.ExecuteAllAsync([.. claims
            .Select((claim, i) => (claim, message: claimed[i]))
            .Where(pair => pair.message is not null)
            .Select(pair => SentMessageStore.Transition(pair.claim.MessageId, pair.claim.Now, DeliveryState.InFlight, $"ATTEMPT {pair.message!.Attempts}"))],
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>Every state change first (in one round trip), then attempt, transition and outbox row of those that changed (in one).</summary>
    private async Task<bool[]> CompleteTogetherAsync(IReadOnlyList<AttemptCompletion> completions, CancellationToken cancellationToken)
    {
        await using var transaction = await _database.BeginAsync(cancellationToken);
        var updated = await transaction.ExecuteAllAsync([.. completions.Select(completion => new SqlStatement("""
            UPDATE outbound_messages
            SET state = @state, lease_until = NULL, last_error = @error, updated_at = @finished,
                receipt = COALESCE(@receipt, receipt),
                delivered_at = CASE WHEN @state = 'Delivered' THEN @finished ELSE delivered_at END,
                next_attempt_at = COALESCE(@next, next_attempt_at)
            WHERE message_id = @id AND state = 'InFlight' AND attempts = @attempt
            """,
            ("state", completion.Attempt.Outcome.ToString()), ("error", completion.Attempt.ErrorCode), ("finished", SqlStatement.Ms(completion.Attempt.FinishedAt)),
            ("receipt", completion.Receipt), ("next", completion.NextAttemptAt is { } next ? SqlStatement.Ms(next) : null),
            ("id", completion.Attempt.MessageId.ToString()), ("attempt", completion.Attempt.Attempt)))], cancellationToken);
        var completed = updated.Select(count => count == 1).ToArray();
        await transaction.ExecuteAllAsync([.. completions.Where((_, i) => completed[i]).SelectMany(CompletionRecords)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return completed;
    }

    private static IEnumerable<SqlStatement> CompletionRecords(AttemptCompletion completion)
    {
        var attempt = completion.Attempt;
        yield return new("""
            INSERT INTO delivery_attempts (message_id, attempt, started_at, finished_at, outcome, http_status, error_code)
            VALUES (@id, @attempt, @started, @finished, @outcome, @status, @error)
            """,
            ("id", attempt.MessageId.ToString()), ("attempt", attempt.Attempt), ("started", SqlStatement.Ms(attempt.StartedAt)), ("finished", SqlStatement.Ms(attempt.FinishedAt)),
            ("outcome", attempt.Outcome.ToString()), ("status", attempt.HttpStatus), ("error", attempt.ErrorCode));
        yield return SentMessageStore.Transition(attempt.MessageId, attempt.FinishedAt, attempt.Outcome,
            attempt.ErrorCode ?? (attempt.HttpStatus is { } http ? $"HTTP {http}" : attempt.Outcome.ToString().ToUpperInvariant()));
        yield return attempt.Outcome == DeliveryState.RetryWaiting
            ? OutboxStore.Reschedule(attempt.MessageId, completion.NextAttemptAt ?? attempt.FinishedAt)
            : OutboxStore.Remove(attempt.MessageId);
    }

    private sealed record AttemptClaim(Guid MessageId, DateTimeOffset Now, TimeSpan Lease);
}
