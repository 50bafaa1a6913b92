using System.Globalization;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Service.Audit;
using Gateway.Service.Consent;
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

    public async Task WithdrawAsync(Guid consentId, ConsentGivenBy withdrawnBy, string actor, CancellationToken cancellationToken)
    {
        var withdrawal = await withdrawals.WithdrawAsync(consentId, withdrawnBy, time.GetUtcNow(), cancellationToken);
        await audit.RecordAsync(actor, AuditActions.ConsentWithdrawn, detail: new { consentId, withdrawnBy, withdrawal.Cancelled, Holders = withdrawal.Holders.Select(holder => holder.PeerId) }, cancellationToken: cancellationToken);
        var consent = (await consents.GetAsync(consentId, cancellationToken))!;
        foreach (var holder in withdrawal.Holders)
        {
            await NotifyAsync(consent, holder, cancellationToken);
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

        var notice = sender.ToOutbound(result.Message!, AuditLog.System, idempotencyKey: null);
        if (await withdrawals.TryAddErasureRequestAsync(consent.ConsentId, notice, sender.Submission(notice, AuditLog.System), cancellationToken))
        {
            signal.Notify();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ConsentWithdrawn for consent {ConsentId} to {PeerId} could not be composed: {Code}")]
    private static partial void LogNoticeRefused(ILogger logger, Guid consentId, string peerId, string code);
}
