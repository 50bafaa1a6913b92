using System.Data.Common;
using Gateway.Service.Persistence;

namespace Gateway.Service.Cases;

/// <summary>
/// The <c>cases</c>, <c>case_assignments</c> and <c>case_access_grants</c> tables, and the questions other features
/// ask about a case: does this node share it with a partner, was a message exchanged with that partner.
/// </summary>
public sealed class CaseStore(Database database)
{
    private const string Columns = "case_id, unit_id, opened_at, opened_by, origin_peer, subject_ref, erased_at, erasure_reason";

    /// <summary>A case this node opens (a no-op when it exists); returns the case as stored.</summary>
    public async Task<CaseRecord> OpenAsync(string caseId, string unitId, string openedBy, string? originPeer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = Open(caseId, unitId, openedBy, originPeer, now);
        await database.ExecuteAsync(open.Sql, cancellationToken, open.Parameters);
        return (await GetAsync(caseId, cancellationToken))!;
    }

    /// <summary>Opens a case unless it exists: for a unit of work that stores the case's first message with it.</summary>
    public static SqlStatement Open(string caseId, string unitId, string openedBy, string? originPeer, DateTimeOffset now) => new("""
        INSERT INTO cases (case_id, unit_id, opened_at, opened_by, origin_peer) VALUES (@case, @unit, @now, @by, @peer)
        ON CONFLICT (case_id) DO NOTHING
        """, ("case", caseId), ("unit", unitId), ("now", SqlStatement.Ms(now)), ("by", openedBy), ("peer", originPeer));

    public Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM cases WHERE case_id = @case", Read, cancellationToken, ("case", caseId));

    /// <summary>The cases of <paramref name="units"/>, newest first.</summary>
    public Task<IReadOnlyList<CaseRecord>> ListForUnitsAsync(IReadOnlyCollection<string> units, int max, CancellationToken cancellationToken) =>
        units.Count == 0
            ? Task.FromResult<IReadOnlyList<CaseRecord>>([])
            : database.QueryAsync($"SELECT {Columns} FROM cases WHERE unit_id IN ({InList(units.Count)}) ORDER BY opened_at DESC LIMIT @max",
                Read, cancellationToken, [.. units.Select((unit, i) => ($"u{i}", (object?)unit)), ("max", max)]);

    /// <summary>The cases about one pseudonymous subject (the subject report).</summary>
    public Task<IReadOnlyList<CaseRecord>> ListForSubjectAsync(string subjectRef, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT {Columns} FROM cases WHERE subject_ref = @subject ORDER BY opened_at", Read, cancellationToken, ("subject", subjectRef));

    /// <summary>Records the subject a case is about (from its consent), when it has none yet.</summary>
    public Task SetSubjectAsync(string caseId, string subjectRef, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE cases SET subject_ref = COALESCE(subject_ref, @subject) WHERE case_id = @case", cancellationToken, ("subject", subjectRef), ("case", caseId));

    public Task MoveAsync(string caseId, string unitId, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE cases SET unit_id = @unit WHERE case_id = @case", cancellationToken, ("unit", unitId), ("case", caseId));

    /// <summary>Marks cases erased (their content and data keys go in the same transaction).</summary>
    public static SqlStatement MarkErased(string caseId, string reason, DateTimeOffset now) =>
        new("UPDATE cases SET erased_at = COALESCE(erased_at, @now), erasure_reason = COALESCE(erasure_reason, @reason) WHERE case_id = @case",
            ("now", SqlStatement.Ms(now)), ("reason", reason), ("case", caseId));

    public async Task<IReadOnlyList<string>> AssigneesAsync(string caseId, CancellationToken cancellationToken) =>
        await database.QueryAsync("SELECT person_id FROM case_assignments WHERE case_id = @case ORDER BY assigned_at, person_id",
            reader => reader.GetString(0), cancellationToken, ("case", caseId));

    /// <summary>Replaces the case's assignees.</summary>
    public async Task AssignAsync(string caseId, IReadOnlyCollection<string> personIds, string assignedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginAsync(cancellationToken);
        await transaction.ExecuteAsync("DELETE FROM case_assignments WHERE case_id = @case", cancellationToken, ("case", caseId));
        await transaction.ExecuteAllAsync([.. personIds.Select(person => new SqlStatement(
            "INSERT INTO case_assignments (case_id, person_id, assigned_at, assigned_by) VALUES (@case, @person, @now, @by)",
            ("case", caseId), ("person", person), ("now", SqlStatement.Ms(now)), ("by", assignedBy)))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task AddGrantAsync(AccessGrant grant, byte[]? sealedNote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return database.ExecuteAsync("""
            INSERT INTO case_access_grants (grant_id, case_id, person_id, reason_code, note, note_sha256, granted_at, expires_at)
            VALUES (@id, @case, @person, @reason, @note, @hash, @granted, @expires)
            """,
            cancellationToken, ("id", grant.GrantId.ToString()), ("case", grant.CaseId), ("person", grant.PersonId), ("reason", grant.Reason.ToString()),
            ("note", sealedNote), ("hash", grant.NoteSha256), ("granted", SqlStatement.Ms(grant.GrantedAt)), ("expires", SqlStatement.Ms(grant.ExpiresAt)));
    }

    public async Task<bool> HasGrantAsync(string caseId, string personId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Convert.ToInt32(await database.ScalarAsync(
            "SELECT COUNT(*) FROM case_access_grants WHERE case_id = @case AND person_id = @person AND expires_at > @now",
            cancellationToken, ("case", caseId), ("person", personId), ("now", SqlStatement.Ms(now)))) > 0;

    /// <summary>Break-glass accesses granted since <paramref name="since"/>, newest first (for auditors).</summary>
    public Task<IReadOnlyList<AccessGrant>> ListGrantsAsync(DateTimeOffset since, int max, CancellationToken cancellationToken) =>
        database.QueryAsync("""
            SELECT grant_id, case_id, person_id, reason_code, note_sha256, granted_at, expires_at FROM case_access_grants
            WHERE granted_at >= @since ORDER BY granted_at DESC LIMIT @max
            """,
            reader => new AccessGrant
            {
                GrantId = Guid.Parse(reader.GetString(0)),
                CaseId = reader.GetString(1),
                PersonId = reader.GetString(2),
                Reason = Enum.Parse<BreakGlassReason>(reader.GetString(3)),
                NoteSha256 = reader.NullableString(4),
                GrantedAt = reader.Time(5),
                ExpiresAt = reader.Time(6),
            },
            cancellationToken, ("since", SqlStatement.Ms(since)), ("max", max));

    /// <summary>Whether this node sent to, or received from, <paramref name="peerId"/> in the case: the partner shares it.</summary>
    public async Task<bool> IsSharedWithAsync(string caseId, string peerId, CancellationToken cancellationToken) =>
        Convert.ToInt32(await database.ScalarAsync("""
            SELECT (SELECT COUNT(*) FROM outbound_messages WHERE conversation_id = @case AND peer_id = @peer)
                 + (SELECT COUNT(*) FROM inbound_messages WHERE conversation_id = @case AND sender_id = @peer)
            """, cancellationToken, ("case", caseId), ("peer", peerId))) > 0;

    /// <summary>Whether message <paramref name="messageId"/> of case <paramref name="caseId"/> went to, or came from, <paramref name="peerId"/>.</summary>
    public async Task<bool> WasExchangedWithAsync(Guid messageId, string caseId, string peerId, CancellationToken cancellationToken) =>
        Convert.ToInt32(await database.ScalarAsync("""
            SELECT (SELECT COUNT(*) FROM outbound_messages WHERE message_id = @id AND conversation_id = @case AND peer_id = @peer)
                 + (SELECT COUNT(*) FROM inbound_messages WHERE message_id = @id AND conversation_id = @case AND sender_id = @peer)
            """, cancellationToken, ("id", messageId.ToString()), ("case", caseId), ("peer", peerId))) > 0;

    private static string InList(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"@u{i}"));

    private static CaseRecord Read(DbDataReader reader) => new()
    {
        CaseId = reader.GetString(0),
        UnitId = reader.GetString(1),
        OpenedAt = reader.Time(2),
        OpenedBy = reader.GetString(3),
        OriginPeer = reader.NullableString(4),
        SubjectRef = reader.NullableString(5),
        ErasedAt = reader.NullableTime(6),
        ErasureReason = reader.NullableString(7),
    };
}
