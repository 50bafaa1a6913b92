using Gateway.Service.Cases;
using Gateway.Service.Consent;
using Gateway.Service.Inbox;
using Gateway.Service.Outbox;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;

namespace Gateway.Service.Erasure;

/// <summary>The writes of a withdrawal at the sending node, inside the transaction that erases the consent's case.</summary>
internal sealed class WithdrawalStore(Database database)
{
    /// <summary>
    /// Marks the consent withdrawn (once), erases its case at this node — what has not left is cancelled, every copy of
    /// content emptied — and returns the partners that hold data delivered under the consent. Messages in flight are left
    /// to their attempt: a delivery that lands is followed by a ConsentWithdrawn like the others.
    /// </summary>
    public static async Task<ConsentWithdrawal> WithdrawAsync(
        StoreTransaction transaction, ConsentRecord consent, string caseId, ConsentGivenBy withdrawnBy, WithdrawalReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(consent);
        await transaction.ExecuteAllAsync([ConsentStore.Withdraw(consent.ConsentId, withdrawnBy, reason, now)], cancellationToken);
        var cancelled = await SentMessageStore.UndeliveredInCaseAsync(transaction, caseId, cancellationToken);
        await transaction.ExecuteAllAsync([
            .. cancelled.SelectMany(message => new[]
            {
                SentMessageStore.Transition(message, now, DeliveryState.Cancelled, ErasureReasons.ConsentWithdrawn),
                OutboxStore.Remove(message),
            }),
            .. SentMessageStore.EraseCase(caseId, ErasureReasons.ConsentWithdrawn, now),
            InboxStore.EraseCase(caseId, ErasureReasons.ConsentWithdrawn, now),
            CaseStore.MarkErased(caseId, ErasureReasons.ConsentWithdrawn, now),
        ], cancellationToken);
        var holders = await transaction.QueryAsync("""
            SELECT DISTINCT peer_id, conversation_id FROM outbound_messages WHERE consent_id = @id AND state = 'Delivered' ORDER BY peer_id, conversation_id
            """, reader => new DataHolder(reader.GetString(0), reader.GetString(1)), cancellationToken, ("id", consent.ConsentId.ToString()));
        return new ConsentWithdrawal(cancelled, holders);
    }

    /// <summary>The partners that hold data delivered under the consent (a repeated withdrawal asks only what is missing).</summary>
    public Task<IReadOnlyList<DataHolder>> HoldersAsync(Guid consentId, CancellationToken cancellationToken) =>
        database.QueryAsync("""
            SELECT DISTINCT peer_id, conversation_id FROM outbound_messages WHERE consent_id = @id AND state = 'Delivered' ORDER BY peer_id, conversation_id
            """, reader => new DataHolder(reader.GetString(0), reader.GetString(1)), cancellationToken, ("id", consentId.ToString()));

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
