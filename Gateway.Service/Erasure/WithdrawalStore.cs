using Gateway.Service.Consent;
using Gateway.Service.Outbox;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;

namespace Gateway.Service.Erasure;

/// <summary>The writes of a withdrawal at the sending node: the consent marked, what has not left cancelled, and each erasure request with its notice.</summary>
internal sealed class WithdrawalStore(Database database)
{
    private const string Undelivered = "state IN ('Queued', 'RetryWaiting', 'Suspended')";

    /// <summary>
    /// Marks the consent withdrawn (once; a repeat keeps the first time), cancels and erases every message under it
    /// that has not been delivered, erases this node's copy of the content of the others, and returns the peers and
    /// conversations that hold delivered data — all in one transaction. Messages in flight are left to their attempt:
    /// the gate stops a retry, and a delivery that lands is followed by a ConsentWithdrawn like the others.
    /// </summary>
    public async Task<ConsentWithdrawal> WithdrawAsync(Guid consentId, ConsentGivenBy withdrawnBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = consentId.ToString();
        var at = SqlStatement.Ms(now);
        await using var transaction = await database.BeginAsync(cancellationToken);
        await transaction.ExecuteAllAsync([ConsentStore.Withdraw(consentId, withdrawnBy, now)], cancellationToken);
        var cancelled = await transaction.QueryAsync($"SELECT message_id FROM outbound_messages WHERE consent_id = @id AND {Undelivered}",
            reader => Guid.Parse(reader.GetString(0)), cancellationToken, ("id", id));
        await transaction.ExecuteAllAsync([.. cancelled.SelectMany(message => new[]
        {
            SentMessageStore.Transition(message, now, DeliveryState.Cancelled, "CONSENT_WITHDRAWN"),
            OutboxStore.Remove(message),
        })], cancellationToken);
        await transaction.ExecuteAsync($"""
            UPDATE outbound_messages SET state = 'Cancelled', last_error = 'CONSENT_WITHDRAWN', envelope = NULL, content = NULL,
                content_erased_at = @now, updated_at = @now, lease_until = NULL
            WHERE consent_id = @id AND {Undelivered};
            UPDATE outbound_messages SET content = NULL, content_erased_at = COALESCE(content_erased_at, @now)
            WHERE consent_id = @id AND state IN ('Delivered', 'Failed', 'Cancelled');
            """, cancellationToken, ("id", id), ("now", at));
        var holders = await transaction.QueryAsync("""
            SELECT DISTINCT peer_id, conversation_id FROM outbound_messages WHERE consent_id = @id AND state = 'Delivered' ORDER BY peer_id, conversation_id
            """, reader => new DataHolder(reader.GetString(0), reader.GetString(1)), cancellationToken, ("id", id));
        await transaction.CommitAsync(cancellationToken);
        return new ConsentWithdrawal(cancelled, holders);
    }

    /// <summary>Stores a ConsentWithdrawn (its submission unit) and its erasure request together; false when that peer and conversation already have one.</summary>
    public async Task<bool> TryAddErasureRequestAsync(Guid consentId, OutboundMessage notice, UnitOfWork submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(submission);
        await using var transaction = await database.BeginAsync(cancellationToken);
        var opened = await transaction.ExecuteAllAsync(
            [ConsentStore.AddErasureRequest(consentId, notice.PeerId, notice.ConversationId, notice.MessageId, notice.CreatedAt)], cancellationToken);
        if (opened[0] == 0)
        {
            return false;
        }

        await transaction.ExecuteAllAsync(submission.Statements, cancellationToken);
        transaction.AttachAll(submission.Attachments);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
