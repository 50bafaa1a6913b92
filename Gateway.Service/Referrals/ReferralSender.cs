using System.Security.Cryptography;
using Gateway.Contracts.Envelopes;
using Gateway.Crypto.Envelopes;
using Gateway.Service.Hosting;
using Gateway.Service.Outbox;
using Gateway.Service.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Referrals;

/// <summary>
/// Accepts a message for sending: validates it, seals it to the recipient, and stores message and outbox row
/// in one transaction (DESIGN §8.1). Consent and minimisation will sit in front of the seal.
/// </summary>
internal sealed class ReferralSender(
    NodeIdentity identity,
    GatewayStore store,
    EnvelopeSealer sealer,
    OutboxSignal signal,
    TimeProvider time,
    IOptions<GatewayNodeOptions> options)
{
    public async Task<SendResult> SendAsync(SendMessageRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && await store.FindOutboundByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
        {
            return SendResult.Accepted(earlier.MessageId, earlier.State);
        }

        if (identity.Peers.Find(request.Recipient) is not { } recipient)
        {
            return SendResult.Invalid("UNKNOWN_RECIPIENT", $"{request.Recipient} is not a registered peer");
        }

        if (!MessageTypes.IsKnown(request.MessageType))
        {
            return SendResult.Invalid("UNKNOWN_MESSAGE_TYPE", $"messageType must be one of {string.Join(", ", MessageTypes.All)}");
        }

        if (request.Body.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return SendResult.Invalid("BODY_NOT_OBJECT", "body must be a JSON object");
        }

        var now = time.GetUtcNow();
        var header = new EnvelopeHeader
        {
            MessageId = Guid.CreateVersion7(now),
            MessageType = request.MessageType,
            From = identity.NodeId,
            To = recipient.Id,
            CreatedAt = now,
            ConversationId = request.ConversationId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            InReplyTo = request.InReplyTo,
            Purpose = request.Purpose,
            LegalBasis = request.LegalBasis,
            ConsentRef = request.ConsentRef,
            SchemaVersion = SchemaVersions.Current,
        };
        var envelope = sealer.Seal(new EnvelopePayload { Header = header, Body = request.Body }, identity.Signing, recipient.CurrentEncryptionCertificate(now));
        try
        {
            await store.AddOutboundAsync(
                new OutboundMessage
                {
                    MessageId = header.MessageId,
                    PeerId = recipient.Id,
                    MessageType = header.MessageType,
                    ConversationId = header.ConversationId,
                    IdempotencyKey = idempotencyKey,
                    Envelope = envelope,
                    State = DeliveryState.Queued,
                    CreatedAt = now,
                    ExpiresAt = now + options.Value.Delivery.TimeToLive,
                    NextAttemptAt = now,
                },
                cancellationToken);
        }
        catch (DuplicateIdempotencyKeyException) when (idempotencyKey is not null)
        {
            // A concurrent retry of the same request stored first: answer with its message.
            var winner = await store.FindOutboundByIdempotencyKeyAsync(idempotencyKey, cancellationToken);
            return SendResult.Accepted(winner!.MessageId, winner.State);
        }

        signal.Notify();
        return SendResult.Accepted(header.MessageId, DeliveryState.Queued);
    }
}
