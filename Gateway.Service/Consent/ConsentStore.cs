using System.Data.Common;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Service.Persistence;

namespace Gateway.Service.Consent;

/// <summary>
/// Consents (DESIGN §6) and the erasure each withdrawal asked partners for (<c>erasure_requests</c>): outstanding
/// until the partner's ErasureConfirmed is recorded against it.
/// </summary>
public sealed class ConsentStore(Database database)
{
    public Task AddAsync(ConsentRecord consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        return database.ExecuteAsync("""
            INSERT INTO consents (consent_id, subject_ref, given_by, subject_minor, child_heard, scope, valid_from, valid_until,
                evidence_ref, recorded_at, recorded_by, case_id)
            VALUES (@id, @subject, @givenBy, @minor, @heard, @scope, @from, @until, @evidence, @recorded, @by, @case)
            """,
            cancellationToken,
            ("id", consent.ConsentId.ToString()), ("subject", consent.SubjectRef), ("givenBy", consent.GivenBy.ToString()),
            ("minor", consent.SubjectIsMinor ? 1 : 0), ("heard", consent.ChildHeard ? 1 : 0),
            ("scope", JsonSerializer.Serialize(consent.Scope, GatewayJson.Options)), ("from", SqlStatement.Ms(consent.ValidFrom)), ("until", SqlStatement.Ms(consent.ValidUntil)),
            ("evidence", consent.EvidenceRef), ("recorded", SqlStatement.Ms(consent.RecordedAt)), ("by", consent.RecordedBy), ("case", consent.CaseId));
    }

    private const string Columns = """
        consent_id, subject_ref, given_by, subject_minor, child_heard, scope, valid_from, valid_until, evidence_ref,
        recorded_at, recorded_by, withdrawn_at, withdrawn_by, case_id, withdrawal_reason
        """;

    public Task<ConsentRecord?> GetAsync(Guid consentId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM consents WHERE consent_id = @id", Read, cancellationToken, ("id", consentId.ToString()));

    /// <summary>The consents of a case, oldest first.</summary>
    public Task<IReadOnlyList<ConsentRecord>> ListForCaseAsync(string caseId, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT {Columns} FROM consents WHERE case_id = @case ORDER BY recorded_at", Read, cancellationToken, ("case", caseId));

    /// <summary>The consents of one pseudonymous subject, oldest first (the subject report).</summary>
    public Task<IReadOnlyList<ConsentRecord>> ListForSubjectAsync(string subjectRef, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT {Columns} FROM consents WHERE subject_ref = @subject ORDER BY recorded_at", Read, cancellationToken, ("subject", subjectRef));

    /// <summary>Marks the consent withdrawn, once: a repeat keeps the first time.</summary>
    public static SqlStatement Withdraw(Guid consentId, ConsentGivenBy withdrawnBy, WithdrawalReason reason, DateTimeOffset now) =>
        new("UPDATE consents SET withdrawn_at = @now, withdrawn_by = @by, withdrawal_reason = @reason WHERE consent_id = @id AND withdrawn_at IS NULL",
            ("now", SqlStatement.Ms(now)), ("by", withdrawnBy.ToString()), ("reason", reason.ToString()), ("id", consentId.ToString()));

    /// <summary>The erasure request a ConsentWithdrawn to that peer and conversation opens; changes nothing when one is already open (0 rows).</summary>
    public static SqlStatement AddErasureRequest(Guid consentId, string peerId, string conversationId, Guid requestMessageId, DateTimeOffset at) => new("""
        INSERT INTO erasure_requests (consent_id, peer_id, conversation_id, request_message_id, requested_at)
        VALUES (@consent, @peer, @conversation, @message, @at)
        ON CONFLICT (consent_id, peer_id, conversation_id) DO NOTHING
        """,
        ("consent", consentId.ToString()), ("peer", peerId), ("conversation", conversationId), ("message", requestMessageId.ToString()), ("at", SqlStatement.Ms(at)));

    /// <summary>Records a peer's ErasureConfirmed against the request it answers; false when it answers none of this peer's.</summary>
    public async Task<bool> ConfirmErasureAsync(string peerId, Guid requestMessageId, Guid confirmationMessageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("""
            UPDATE erasure_requests SET confirmed_at = COALESCE(confirmed_at, @at), confirmation_message_id = COALESCE(confirmation_message_id, @confirmation)
            WHERE request_message_id = @request AND peer_id = @peer
            """,
            cancellationToken,
            ("at", SqlStatement.Ms(at)), ("confirmation", confirmationMessageId.ToString()), ("request", requestMessageId.ToString()), ("peer", peerId)) == 1;

    public Task<IReadOnlyList<ErasureRequest>> ListErasureRequestsAsync(Guid? consentId, bool outstandingOnly, CancellationToken cancellationToken) =>
        database.QueryAsync($"""
            SELECT consent_id, peer_id, conversation_id, request_message_id, requested_at, confirmed_at, confirmation_message_id
            FROM erasure_requests
            WHERE 1 = 1 {(consentId is null ? string.Empty : "AND consent_id = @consent")} {(outstandingOnly ? "AND confirmed_at IS NULL" : string.Empty)}
            ORDER BY requested_at, peer_id
            """,
            reader => new ErasureRequest
            {
                ConsentId = Guid.Parse(reader.GetString(0)),
                PeerId = reader.GetString(1),
                ConversationId = reader.GetString(2),
                RequestMessageId = Guid.Parse(reader.GetString(3)),
                RequestedAt = reader.Time(4),
                ConfirmedAt = reader.NullableTime(5),
                ConfirmationMessageId = reader.NullableGuid(6),
            },
            cancellationToken, ("consent", consentId?.ToString() ?? string.Empty));

    private static ConsentRecord Read(DbDataReader reader) => new()
    {
        ConsentId = Guid.Parse(reader.GetString(0)),
        SubjectRef = reader.GetString(1),
        GivenBy = Enum.Parse<ConsentGivenBy>(reader.GetString(2)),
        SubjectIsMinor = reader.Int(3) == 1,
        ChildHeard = reader.Int(4) == 1,
        Scope = JsonSerializer.Deserialize<ConsentScope>(reader.GetString(5), GatewayJson.Options)!,
        ValidFrom = reader.Time(6),
        ValidUntil = reader.Time(7),
        EvidenceRef = reader.GetString(8),
        RecordedAt = reader.Time(9),
        RecordedBy = reader.GetString(10),
        WithdrawnAt = reader.NullableTime(11),
        WithdrawnBy = reader.IsDBNull(12) ? null : Enum.Parse<ConsentGivenBy>(reader.GetString(12)),
        CaseId = reader.NullableString(13),
        WithdrawalReason = reader.NullableString(14),
    };
}
