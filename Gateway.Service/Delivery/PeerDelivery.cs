using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Receipts;
using Gateway.Service.Erasure;
using Gateway.Service.Keys;
using Gateway.Service.Node;
using Gateway.Service.Outbox;
using Gateway.Service.Referrals;
using Gateway.Service.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Delivery;

/// <summary>
/// One delivery attempt (DESIGN §8.3): claim the message, POST it, verify the receipt against what was sent, and
/// record Delivered, RetryWaiting (with the next time) or Failed, with the attempt, in one transaction.
/// </summary>
internal sealed partial class PeerDelivery(
    NodeIdentity identity,
    DeliveryStore store,
    PeerClient client,
    CertificateValidator validator,
    RetrySchedule schedule,
    GatewayMetrics metrics,
    CaseKeys keys,
    LegalBasisRecheck recheck,
    WithdrawalCoordinator withdrawals,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    IOptions<OutboxOptions> outbox,
    ILogger<PeerDelivery> logger) : IEnvelopeDelivery
{
    private readonly ReceiptVerifier _receipts = new(identity.Peers, validator);

    public int ConcurrencyFor(string peerId) => options.Value.For(peerId).Concurrency;

    public async Task DeliverAsync(Guid messageId, CancellationToken cancellationToken)
    {
        using var activity = GatewayMetrics.Activities.StartActivity("gateway.deliver");
        activity?.SetTag("gateway.message_id", messageId);
        var started = time.GetUtcNow();
        var message = await store.TryStartAttemptAsync(messageId, started, outbox.Value.OutboxLease, cancellationToken);
        if (message is null)
        {
            return; // Not due, already settled, or another consumer holds it: a duplicate broker message.
        }

        var peer = identity.Peers.Find(message.PeerId);
        if (started >= message.ExpiresAt || peer is null)
        {
            await CompleteAsync(message, started, DeliveryState.Failed, null, peer is null ? DeliveryCodes.PeerNotRegistered : DeliveryCodes.TtlExpired, null, null, cancellationToken);
            return;
        }

        // The envelope as sealed for the peer, kept sealed under the case's key: gone when the case was erased.
        var envelope = message.Envelope is null ? null : await keys.OpenAsync(message.Envelope, SealedPurpose.SentEnvelope, message.MessageId, cancellationToken);
        if (envelope is null)
        {
            await CompleteAsync(message, started, DeliveryState.Cancelled, null, DeliveryCodes.ContentErased, null, null, cancellationToken);
            return;
        }

        // The consent gate again, before every attempt: a consent withdrawn since submit stops the message here.
        if (await recheck.CheckAsync(message, peer, started, cancellationToken) is { } refusal)
        {
            await CompleteAsync(message, started, DeliveryState.Cancelled, null, refusal, null, null, cancellationToken);
            return;
        }

        var response = await client.SendAsync(peer, message, envelope, identity.NodeId, cancellationToken);
        if (response.Status == 200)
        {
            try
            {
                _receipts.Verify(response.Body!, peer.Id, message.MessageId, envelope);
                await CompleteAsync(message, started, DeliveryState.Delivered, 200, null, response.Body, null, cancellationToken);

                // Withdrawn while this attempt was on the wire: the peer now holds data it must erase.
                if (message.ConsentId is { } consentId)
                {
                    await withdrawals.FollowUpDeliveryAsync(consentId, message, cancellationToken);
                }
            }
            catch (EnvelopeException exception)
            {
                // The peer holds the message but its receipt proves nothing: an operator must look.
                await CompleteAsync(message, started, DeliveryState.Failed, 200, $"{DeliveryCodes.ReceiptInvalid}:{exception.Code}", null, null, cancellationToken);
            }

            return;
        }

        if (!response.IsTransient)
        {
            await CompleteAsync(message, started, DeliveryState.Failed, response.Status, response.Code, null, null, cancellationToken);
            return;
        }

        var next = time.GetUtcNow() + schedule.DelayAfter(options.Value.For(peer.Id), message.Attempts, response.RetryAfter);
        if (next >= message.ExpiresAt)
        {
            await CompleteAsync(message, started, DeliveryState.Failed, response.Status, DeliveryCodes.TtlExpired, null, null, cancellationToken);
            return;
        }

        await CompleteAsync(message, started, DeliveryState.RetryWaiting, response.Status, response.Code, null, next, cancellationToken);
    }

    private async Task CompleteAsync(
        OutboundMessage message, DateTimeOffset started, DeliveryState outcome, int? status, string? code, byte[]? receipt, DateTimeOffset? next, CancellationToken cancellationToken)
    {
        await store.CompleteAttemptAsync(
            new AttemptCompletion
            {
                Attempt = new DeliveryAttempt
                {
                    MessageId = message.MessageId,
                    Attempt = message.Attempts,
                    StartedAt = started,
                    FinishedAt = time.GetUtcNow(),
                    Outcome = outcome,
                    HttpStatus = status,
                    ErrorCode = code,
                },
                Receipt = receipt,
                NextAttemptAt = next,
            },
            cancellationToken);
        LogAttempt(logger, message.MessageId, message.PeerId, message.Attempts, outcome, code);
        metrics.RecordAttempt(message.PeerId, outcome);
        if (outcome == DeliveryState.Delivered)
        {
            metrics.RecordDelivered(message.PeerId, time.GetUtcNow() - message.CreatedAt);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} to {PeerId}, attempt {Attempt}: {Outcome} {Code}")]
    private static partial void LogAttempt(ILogger logger, Guid messageId, string peerId, int attempt, DeliveryState outcome, string? code);
}
