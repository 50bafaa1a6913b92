using System.Globalization;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Service.Audit;
using Gateway.Service.Cases;
using Gateway.Service.Consent;
using Gateway.Service.Keys;
using Gateway.Service.Outbox;
using Gateway.Service.Referrals;

namespace Gateway.Service.Erasure;

/// <summary>
/// Withdrawal across borders (DESIGN §6): cancel what has not left, and send every partner that already received
/// data under the consent a ConsentWithdrawn per conversation, tracked until its ErasureConfirmed arrives.
/// Repeating a withdrawal repeats only what is missing, so a crash halfway is mended by withdrawing again.
/// </summary>
internal sealed partial class WithdrawalCoordinator(
    ConsentStore consents,
    CaseStore cases,
    CaseKeys keys,
    WithdrawalStore withdrawals,
    SentMessageStore messages,
    ReferralComposer composer,
    ReferralSender sender,
    OutboxSignal signal,
    AuditLog audit,
    TimeProvider time,
    ILogger<WithdrawalCoordinator> logger)
{
    /// <summary>How long a partner is given to confirm erasure.</summary>
    public static readonly TimeSpan ConfirmationPeriod = TimeSpan.FromDays(30);

    /// <summary>
    /// Withdraws the consent and erases its case here (its data key destroyed: DESIGN §15), then asks every partner that
    /// holds data delivered under it to erase. A repeat (after a crash) erases nothing twice and asks only who was not asked.
    /// </summary>
    public async Task WithdrawAsync(ConsentRecord consent, ConsentGivenBy withdrawnBy, WithdrawalReason reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var caseId = consent.CaseId!;
        if (consent.WithdrawnAt is null || (await cases.GetAsync(caseId, cancellationToken))?.ErasedAt is null)
        {
            var now = time.GetUtcNow();
            await keys.EraseAsync([caseId], async scope =>
            {
                var withdrawal = await WithdrawalStore.WithdrawAsync(scope.Transaction, consent, caseId, withdrawnBy, reason, now, cancellationToken);
                scope.Transaction.Attach(audit.Line(actor, AuditActions.ConsentWithdrawn, conversationId: caseId, detail: new
                {
                    consent.ConsentId, withdrawnBy, Reason = reason.ToString(), withdrawal.Cancelled, Holders = withdrawal.Holders.Select(holder => holder.PeerId),
                }));
                scope.Transaction.Attach(audit.Line(AuditLog.System, AuditActions.CaseErased, conversationId: caseId, detail: new { Reason = ErasureReasons.ConsentWithdrawn }));
            }, cancellationToken);
        }

        var withdrawn = (await consents.GetAsync(consent.ConsentId, cancellationToken))!;
        foreach (var holder in await withdrawals.HoldersAsync(consent.ConsentId, cancellationToken))
        {
            await NotifyAsync(withdrawn, holder, cancellationToken);
        }
    }

    /// <summary>A delivery landed after the consent was withdrawn: that peer must erase too.</summary>
    public async Task FollowUpDeliveryAsync(Guid consentId, OutboundMessage delivered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        if (await consents.GetAsync(consentId, cancellationToken) is { WithdrawnAt: not null } consent)
        {
            await messages.EraseContentAsync(delivered.MessageId, time.GetUtcNow(), cancellationToken);
            await NotifyAsync(consent, new DataHolder(delivered.PeerId, delivered.ConversationId), cancellationToken);
        }
    }

    private async Task NotifyAsync(ConsentRecord consent, DataHolder holder, CancellationToken cancellationToken)
    {
        var existing = await consents.ListErasureRequestsAsync(consent.ConsentId, outstandingOnly: false, cancellationToken);
        if (existing.Any(request => request.PeerId == holder.PeerId && request.ConversationId == holder.ConversationId))
        {
            return;
        }

        var withdrawnAt = consent.WithdrawnAt ?? time.GetUtcNow();
        var body = new Dictionary<string, object?>
        {
            ["withdrawnConsentRef"] = consent.ConsentId.ToString(),
            ["withdrawnBy"] = (consent.WithdrawnBy ?? consent.GivenBy).ToString(),
            ["withdrawnAt"] = withdrawnAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["erasureRequested"] = true,
            ["confirmBy"] = (withdrawnAt + ConfirmationPeriod).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        var result = await composer.ComposeAsync(
            new ComposeRequest
            {
                Recipient = holder.PeerId,
                MessageType = MessageTypes.ConsentWithdrawn,
                Body = JsonSerializer.SerializeToElement(body, GatewayJson.Options),
                ConversationId = holder.ConversationId,
                Purpose = MessagePurposes.Erasure,
            },
            seal: true,
            cancellationToken);
        if (result.Refusal is { } refusal)
        {
            // Only a configuration that removed the erasure profile or the peer gets here: operators must act.
            LogNoticeRefused(logger, consent.ConsentId, holder.PeerId, refusal.Code);
            return;
        }

        var notice = await sender.ToOutboundAsync(result.Message!, AuditLog.System, idempotencyKey: null, cancellationToken);
        if (await withdrawals.TryAddErasureRequestAsync(consent.ConsentId, notice, sender.Submission(notice, AuditLog.System), cancellationToken))
        {
            signal.Notify();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ConsentWithdrawn for consent {ConsentId} to {PeerId} could not be composed: {Code}")]
    private static partial void LogNoticeRefused(ILogger logger, Guid consentId, string peerId, string code);
}
