using System.Data.Common;
using System.Text.Json;
using Gateway.Service.Persistence;

namespace Gateway.Service.Referrals;

/// <summary>
/// The <c>outbound_messages</c> table and the history of each sent message's states (<c>message_transitions</c>):
/// how a message is stored when accepted, read back, and how its content is erased. Delivery and operations change
/// states through the statements here and their own; nobody else writes these rows.
/// </summary>
public sealed class SentMessageStore(Database database)
{
    internal const string Columns =
        "message_id, peer_id, message_type, conversation_id, idempotency_key, envelope, state, attempts, created_at, expires_at, next_attempt_at, last_error, receipt, delivered_at, "
        + "in_reply_to, purpose, legal_basis, consent_id, justification, disclosure_profile, disclosed_fields, submitted_by, content, content_erased_at, "
        + "justification_sealed, justification_sha256";

    /// <summary>The message (Queued, or Suspended when its peer is) and its first transition; the outbox row is the caller's.</summary>
    /// <summary>A Queued message held back (its next attempt in the future) becomes due at <paramref name="now"/>.</summary>
    public static SqlStatement DueAt(Guid messageId, DateTimeOffset now) =>
        new("UPDATE outbound_messages SET next_attempt_at = @now WHERE message_id = @id AND state = 'Queued'", ("id", messageId.ToString()), ("now", SqlStatement.Ms(now)));

    public static IEnumerable<SqlStatement> Insert(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = message.MessageId.ToString();
        yield return new("""
            INSERT INTO outbound_messages (message_id, peer_id, message_type, conversation_id, in_reply_to, purpose, legal_basis, consent_id,
                justification, justification_sealed, justification_sha256, disclosure_profile, disclosed_fields, submitted_by, idempotency_key,
                envelope, content, sealed, state, attempts, created_at, expires_at, next_attempt_at, updated_at)
            VALUES (@id, @peer, @type, @conversation, @replyTo, @purpose, @basis, @consent, @justification, @justificationSealed, @justificationHash,
                @profile, @fields, @by, @key, @envelope, @content, 1,
                CASE WHEN EXISTS (SELECT 1 FROM peer_controls WHERE peer_id = @peer AND suspended_at IS NOT NULL) THEN 'Suspended' ELSE @state END,
                0, @created, @expires, @next, @created)
            """,
            ("id", id), ("peer", message.PeerId), ("type", message.MessageType),
            ("conversation", message.ConversationId), ("replyTo", message.InReplyTo?.ToString()), ("purpose", message.Purpose),
            ("basis", message.LegalBasis), ("consent", message.ConsentId?.ToString()), ("justification", message.Justification),
            ("justificationSealed", message.JustificationSealed), ("justificationHash", message.JustificationSha256),
            ("profile", message.DisclosureProfile), ("fields", JsonSerializer.Serialize(message.DisclosedFields)), ("by", message.SubmittedBy),
            ("key", message.IdempotencyKey), ("envelope", message.Envelope), ("content", message.Content),
            ("state", message.State.ToString()), ("created", SqlStatement.Ms(message.CreatedAt)), ("expires", SqlStatement.Ms(message.ExpiresAt)),
            ("next", SqlStatement.Ms(message.NextAttemptAt)));
        yield return new("""
            INSERT INTO message_transitions (message_id, at, state, reason)
                SELECT message_id, created_at, state, 'SUBMITTED' FROM outbound_messages WHERE message_id = @id
            """, ("id", id));
    }

    /// <summary>A line of a message's history: the state it entered, when, and why (a code).</summary>
    public static SqlStatement Transition(Guid messageId, DateTimeOffset at, DeliveryState state, string reason) =>
        new("INSERT INTO message_transitions (message_id, at, state, reason) VALUES (@id, @at, @state, @reason)",
            ("id", messageId.ToString()), ("at", SqlStatement.Ms(at)), ("state", state.ToString()), ("reason", reason));

    /// <summary>Erases this node's copy of the content of what it sent to <paramref name="holder"/> in that conversation, erasure messages apart.</summary>
    public static SqlStatement EraseConversationContent(DataHolder holder, DateTimeOffset now) => new("""
        UPDATE outbound_messages SET content = NULL, content_erased_at = COALESCE(content_erased_at, @now)
        WHERE peer_id = @peer AND conversation_id = @conversation AND message_type NOT IN ('ConsentWithdrawn', 'ErasureConfirmed')
        """, ("now", SqlStatement.Ms(now)), ("peer", holder.PeerId), ("conversation", holder.ConversationId));

    /// <summary>
    /// An erased case: its sent messages keep their metadata; what is not delivered yet is cancelled (its envelope is
    /// noise now), and every envelope, copy and justification of the case is emptied. The transitions are the caller's
    /// (<see cref="UndeliveredInCaseAsync"/>).
    /// </summary>
    public static IEnumerable<SqlStatement> EraseCase(string caseId, string reason, DateTimeOffset now)
    {
        yield return new($"""
            UPDATE outbound_messages SET state = 'Cancelled', last_error = @reason, lease_until = NULL, updated_at = @now
            WHERE conversation_id = @case AND {Undelivered}
            """, ("case", caseId), ("reason", reason), ("now", SqlStatement.Ms(now)));
        yield return new("""
            UPDATE outbound_messages SET envelope = NULL, content = NULL, justification_sealed = NULL, content_erased_at = COALESCE(content_erased_at, @now)
            WHERE conversation_id = @case AND (envelope IS NOT NULL OR content IS NOT NULL OR justification_sealed IS NOT NULL)
            """, ("case", caseId), ("now", SqlStatement.Ms(now)));
    }

    /// <summary>The messages of a case that have not left and are not on the wire: what erasing the case cancels.</summary>
    public static async Task<IReadOnlyList<Guid>> UndeliveredInCaseAsync(StoreTransaction transaction, string caseId, CancellationToken cancellationToken) =>
        await transaction.QueryAsync($"SELECT message_id FROM outbound_messages WHERE conversation_id = @case AND {Undelivered}",
            reader => Guid.Parse(reader.GetString(0)), cancellationToken, ("case", caseId));

    private const string Undelivered = "state IN ('Queued', 'RetryWaiting', 'Suspended', 'Failed')";

    /// <summary>
    /// Commits a submission (<see cref="Insert"/>, its outbox row, its audit lines), possibly in one transaction with
    /// others. Throws <see cref="DuplicateIdempotencyKeyException"/> when <paramref name="message"/>'s Idempotency-Key is
    /// already taken, and nothing of the submission is stored then.
    /// </summary>
    public async Task AddAsync(OutboundMessage message, UnitOfWork submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await database.CommitAsync(submission, cancellationToken);
        }
        catch (DbException exception) when (message.IdempotencyKey is { } key && database.IsUniqueViolation(exception, "outbound_messages", "idempotency_key"))
        {
            throw new DuplicateIdempotencyKeyException(key, exception);
        }
    }

    public Task<OutboundMessage?> GetAsync(Guid messageId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM outbound_messages WHERE message_id = @id", Read, cancellationToken, ("id", messageId.ToString()));

    public Task<OutboundMessage?> FindByIdempotencyKeyAsync(string key, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM outbound_messages WHERE idempotency_key = @key", Read, cancellationToken, ("key", key));

    /// <summary>Sent messages, newest first.</summary>
    public Task<IReadOnlyList<OutboundMessage>> ListAsync(int max, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT {Columns} FROM outbound_messages ORDER BY created_at DESC, message_id LIMIT @max", Read, cancellationToken, ("max", max));

    /// <summary>What this node sent in one case, oldest first.</summary>
    public Task<IReadOnlyList<OutboundMessage>> ListForCaseAsync(string caseId, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT {Columns} FROM outbound_messages WHERE conversation_id = @case ORDER BY created_at, message_id", Read, cancellationToken, ("case", caseId));

    /// <summary>Sent messages under one legal basis, newest first: what operators review for VitalInterests.</summary>
    public Task<IReadOnlyList<OutboundMessage>> ListByLegalBasisAsync(string legalBasis, int max, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT {Columns} FROM outbound_messages WHERE legal_basis = @basis ORDER BY created_at DESC LIMIT @max", Read, cancellationToken,
            ("basis", legalBasis), ("max", max));

    public Task<IReadOnlyList<MessageTransition>> ListTransitionsAsync(Guid messageId, CancellationToken cancellationToken) =>
        database.QueryAsync("SELECT at, state, reason FROM message_transitions WHERE message_id = @id ORDER BY seq",
            reader => new MessageTransition(reader.Time(0), Enum.Parse<DeliveryState>(reader.GetString(1)), reader.GetString(2)), cancellationToken,
            ("id", messageId.ToString()));

    public async Task<IReadOnlyDictionary<DeliveryState, int>> CountByStateAsync(CancellationToken cancellationToken) =>
        (await database.QueryAsync("SELECT state, COUNT(*) FROM outbound_messages GROUP BY state",
            reader => (State: Enum.Parse<DeliveryState>(reader.GetString(0)), Count: reader.Int(1)), cancellationToken))
        .ToDictionary(row => row.State, row => row.Count);

    /// <summary>Removes this node's copy of what it sent in one settled message (envelope and content); metadata and receipt stay.</summary>
    public Task EraseContentAsync(Guid messageId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteAsync("""
            UPDATE outbound_messages SET envelope = NULL, content = NULL, content_erased_at = COALESCE(content_erased_at, @now)
            WHERE message_id = @id AND state IN ('Delivered', 'Failed', 'Cancelled')
            """,
            cancellationToken, ("now", SqlStatement.Ms(now)), ("id", messageId.ToString()));

    public static OutboundMessage Read(DbDataReader reader) => new()
    {
        MessageId = Guid.Parse(reader.GetString(0)),
        PeerId = reader.GetString(1),
        MessageType = reader.GetString(2),
        ConversationId = reader.GetString(3),
        IdempotencyKey = reader.NullableString(4),
        Envelope = reader.NullableBytes(5),
        State = Enum.Parse<DeliveryState>(reader.GetString(6)),
        Attempts = reader.Int(7),
        CreatedAt = reader.Time(8),
        ExpiresAt = reader.Time(9),
        NextAttemptAt = reader.Time(10),
        LastError = reader.NullableString(11),
        Receipt = reader.NullableBytes(12),
        DeliveredAt = reader.NullableTime(13),
        InReplyTo = reader.NullableGuid(14),
        Purpose = reader.GetString(15),
        LegalBasis = reader.NullableString(16),
        ConsentId = reader.NullableGuid(17),
        Justification = reader.NullableString(18),
        DisclosureProfile = reader.GetString(19),
        DisclosedFields = JsonSerializer.Deserialize<string[]>(reader.GetString(20)) ?? [],
        SubmittedBy = reader.GetString(21),
        Content = reader.NullableBytes(22),
        ContentErasedAt = reader.NullableTime(23),
        JustificationSealed = reader.NullableBytes(24),
        JustificationSha256 = reader.NullableString(25),
    };
}
