using System.Data.Common;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Service.Consent;

namespace Gateway.Service.Persistence;

/// <summary>Consents and the withdrawal that cancels what has not left and finds who must erase what has.</summary>
public sealed partial class GatewayStore
{
    public async Task AddConsentAsync(ConsentRecord consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO consents (consent_id, subject_ref, given_by, subject_minor, child_heard, scope, valid_from, valid_until,
                evidence_ref, recorded_at, recorded_by)
            VALUES (@id, @subject, @givenBy, @minor, @heard, @scope, @from, @until, @evidence, @recorded, @by)
            """,
            cancellationToken,
            ("id", consent.ConsentId.ToString()), ("subject", consent.SubjectRef), ("givenBy", consent.GivenBy.ToString()),
            ("minor", consent.SubjectIsMinor ? 1 : 0), ("heard", consent.ChildHeard ? 1 : 0),
            ("scope", JsonSerializer.Serialize(consent.Scope, GatewayJson.Options)), ("from", Ms(consent.ValidFrom)), ("until", Ms(consent.ValidUntil)),
            ("evidence", consent.EvidenceRef), ("recorded", Ms(consent.RecordedAt)), ("by", consent.RecordedBy));
    }

    public Task<ConsentRecord?> GetConsentAsync(Guid consentId, CancellationToken cancellationToken) =>
        QuerySingleAsync(
            """
            SELECT consent_id, subject_ref, given_by, subject_minor, child_heard, scope, valid_from, valid_until, evidence_ref,
                recorded_at, recorded_by, withdrawn_at, withdrawn_by
            FROM consents WHERE consent_id = @id
            """,
            reader => new ConsentRecord
            {
                ConsentId = Guid.Parse(reader.GetString(0)),
                SubjectRef = reader.GetString(1),
                GivenBy = Enum.Parse<ConsentGivenBy>(reader.GetString(2)),
                SubjectIsMinor = Convert.ToInt32(reader.GetValue(3)) == 1,
                ChildHeard = Convert.ToInt32(reader.GetValue(4)) == 1,
                Scope = JsonSerializer.Deserialize<ConsentScope>(reader.GetString(5), GatewayJson.Options)!,
                ValidFrom = FromMs(reader.GetInt64(6)),
                ValidUntil = FromMs(reader.GetInt64(7)),
                EvidenceRef = reader.GetString(8),
                RecordedAt = FromMs(reader.GetInt64(9)),
                RecordedBy = reader.GetString(10),
                WithdrawnAt = reader.IsDBNull(11) ? null : FromMs(reader.GetInt64(11)),
                WithdrawnBy = reader.IsDBNull(12) ? null : Enum.Parse<ConsentGivenBy>(reader.GetString(12)),
            },
            cancellationToken,
            ("id", consentId.ToString()));

    /// <summary>
    /// Marks the consent withdrawn (once; a repeat keeps the first time), cancels and erases every message under it
    /// that has not been delivered, erases this node's copy of the content of the others, and returns the peers and
    /// conversations that hold delivered data — all in one transaction. Messages in flight are left to their attempt:
    /// the gate stops a retry, and a delivery that lands is followed by a ConsentWithdrawn like the others.
    /// </summary>
    public async Task<ConsentWithdrawal> WithdrawConsentAsync(Guid consentId, ConsentGivenBy withdrawnBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = consentId.ToString();
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "UPDATE consents SET withdrawn_at = @now, withdrawn_by = @by WHERE consent_id = @id AND withdrawn_at IS NULL",
            cancellationToken, ("now", Ms(now)), ("by", withdrawnBy.ToString()), ("id", id));
        var cancelled = new List<Guid>();
        await using (var select = Command(connection, transaction,
            "SELECT message_id FROM outbound_messages WHERE consent_id = @id AND state IN ('Queued', 'RetryWaiting', 'Suspended')", ("id", id)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                cancelled.Add(Guid.Parse(reader.GetString(0)));
            }
        }

        await ExecuteAsync(connection, transaction, """
            INSERT INTO message_transitions (message_id, at, state, reason)
                SELECT message_id, @now, 'Cancelled', 'CONSENT_WITHDRAWN' FROM outbound_messages
                WHERE consent_id = @id AND state IN ('Queued', 'RetryWaiting', 'Suspended');
            DELETE FROM outbox WHERE message_id IN (
                SELECT message_id FROM outbound_messages WHERE consent_id = @id AND state IN ('Queued', 'RetryWaiting', 'Suspended'));
            UPDATE outbound_messages SET state = 'Cancelled', last_error = 'CONSENT_WITHDRAWN', envelope = NULL, content = NULL,
                content_erased_at = @now, updated_at = @now, lease_until = NULL
            WHERE consent_id = @id AND state IN ('Queued', 'RetryWaiting', 'Suspended');
            UPDATE outbound_messages SET content = NULL, content_erased_at = COALESCE(content_erased_at, @now)
            WHERE consent_id = @id AND state IN ('Delivered', 'Failed', 'Cancelled');
            """,
            cancellationToken, ("id", id), ("now", Ms(now)));
        var holders = new List<DataHolder>();
        await using (var select = Command(connection, transaction, """
            SELECT DISTINCT peer_id, conversation_id FROM outbound_messages WHERE consent_id = @id AND state = 'Delivered' ORDER BY peer_id, conversation_id
            """, ("id", id)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                holders.Add(new DataHolder(reader.GetString(0), reader.GetString(1)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new ConsentWithdrawal(cancelled, holders);
    }

    /// <summary>Stores a ConsentWithdrawn message and its erasure request together; false when that peer and conversation already have one.</summary>
    public async Task<bool> TryAddErasureRequestAsync(Guid consentId, OutboundMessage notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await ExecuteAsync(connection, transaction, """
            INSERT INTO erasure_requests (consent_id, peer_id, conversation_id, request_message_id, requested_at)
            VALUES (@consent, @peer, @conversation, @message, @at)
            ON CONFLICT (consent_id, peer_id, conversation_id) DO NOTHING
            """,
            cancellationToken,
            ("consent", consentId.ToString()), ("peer", notice.PeerId), ("conversation", notice.ConversationId),
            ("message", notice.MessageId.ToString()), ("at", Ms(notice.CreatedAt)));
        if (inserted == 0)
        {
            return false;
        }

        await InsertOutboundAsync(connection, transaction, notice, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Records a peer's ErasureConfirmed against the request it answers; false when it answers none of this peer's.</summary>
    public async Task<bool> ConfirmErasureAsync(string peerId, Guid requestMessageId, Guid confirmationMessageId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, """
            UPDATE erasure_requests SET confirmed_at = COALESCE(confirmed_at, @at), confirmation_message_id = COALESCE(confirmation_message_id, @confirmation)
            WHERE request_message_id = @request AND peer_id = @peer
            """,
            cancellationToken,
            ("at", Ms(at)), ("confirmation", confirmationMessageId.ToString()), ("request", requestMessageId.ToString()), ("peer", peerId)) == 1;
    }

    public async Task<IReadOnlyList<ErasureRequest>> ListErasureRequestsAsync(Guid? consentId, bool outstandingOnly, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            SELECT consent_id, peer_id, conversation_id, request_message_id, requested_at, confirmed_at, confirmation_message_id
            FROM erasure_requests
            WHERE 1 = 1 {(consentId is null ? string.Empty : "AND consent_id = @consent")} {(outstandingOnly ? "AND confirmed_at IS NULL" : string.Empty)}
            ORDER BY requested_at, peer_id
            """, ("consent", consentId?.ToString() ?? string.Empty));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var requests = new List<ErasureRequest>();
        while (await reader.ReadAsync(cancellationToken))
        {
            requests.Add(new ErasureRequest
            {
                ConsentId = Guid.Parse(reader.GetString(0)),
                PeerId = reader.GetString(1),
                ConversationId = reader.GetString(2),
                RequestMessageId = Guid.Parse(reader.GetString(3)),
                RequestedAt = FromMs(reader.GetInt64(4)),
                ConfirmedAt = reader.IsDBNull(5) ? null : FromMs(reader.GetInt64(5)),
                ConfirmationMessageId = reader.IsDBNull(6) ? null : Guid.Parse(reader.GetString(6)),
            });
        }

        return requests;
    }
}
