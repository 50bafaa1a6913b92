using System.Security.Cryptography;
using System.Text;
using Gateway.Contracts.Messages;
using Gateway.Service.Audit;
using Gateway.Service.Keys;
using Gateway.Service.Node;
using Gateway.Service.Outbox;
using Gateway.Service.Persistence;

namespace Gateway.Service.Referrals;

/// <summary>
/// Accepts a message for sending (DESIGN §8.1): composes it (gate, minimiser, seal), then stores message, content and
/// envelope sealed under the case's data key, outbox row and the audit lines naming the disclosed fields in one unit of work.
/// </summary>
internal sealed class ReferralSender(
    ReferralComposer composer,
    SentMessageStore messages,
    CaseKeys keys,
    OutboxSignal signal,
    AuditLog audit,
    IMessageDeadlines deadlines,
    TimeProvider time)
{
    /// <summary>Longest Idempotency-Key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 128;

    /// <param name="actor">The person's id (or <c>system</c>); an Idempotency-Key is that person's, never another's.</param>
    public async Task<(SendMessageAccepted? Accepted, GatewayProblem? Refusal)> SendAsync(ComposeRequest request, string actor, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scopedKey = idempotencyKey is null ? null : $"{actor}:{idempotencyKey}";
        if (scopedKey is not null && await messages.FindByIdempotencyKeyAsync(scopedKey, cancellationToken) is { } earlier)
        {
            return (Accepted(earlier), null);
        }

        var result = await composer.ComposeAsync(request, seal: true, cancellationToken);
        if (result.Refusal is { } refusal)
        {
            await audit.RecordAsync(actor, AuditActions.MessageRefused, peerId: request.Recipient, conversationId: request.ConversationId,
                detail: new { request.MessageType, refusal.Code }, cancellationToken: cancellationToken);
            return (null, refusal);
        }

        var message = await ToOutboundAsync(result.Message!, actor, scopedKey, cancellationToken);
        try
        {
            // The audit lines commit with the message: a crash cannot leave one without the other.
            await messages.AddAsync(message, Submission(message, actor), cancellationToken);
        }
        catch (DuplicateIdempotencyKeyException) when (scopedKey is not null)
        {
            // A concurrent retry of the same request stored first: answer with its message.
            return (Accepted((await messages.FindByIdempotencyKeyAsync(scopedKey, cancellationToken))!), null);
        }

        signal.Notify();
        return (Accepted(message), null);
    }

    /// <summary>The row for a composed message, its content and envelope sealed under the case's live data key.</summary>
    public async Task<OutboundMessage> ToOutboundAsync(ComposedMessage composed, string actor, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(composed);
        return ToOutbound(composed, actor, idempotencyKey, await keys.ForCaseAsync(composed.Header.ConversationId, cancellationToken));
    }

    /// <summary>The row for a composed message, sealed under <paramref name="key"/> (a key made inside an erasure, for the erasure's own messages).</summary>
    public OutboundMessage ToOutbound(ComposedMessage composed, string actor, string? idempotencyKey, DataKey key)
    {
        ArgumentNullException.ThrowIfNull(composed);
        var header = composed.Header;
        var now = time.GetUtcNow();
        var vital = header.LegalBasis == LegalBases.VitalInterests && composed.Justification is not null;
        return new OutboundMessage
        {
            MessageId = header.MessageId,
            PeerId = header.To,
            MessageType = header.MessageType,
            ConversationId = header.ConversationId,
            InReplyTo = header.InReplyTo,
            Purpose = header.Purpose!,
            LegalBasis = header.LegalBasis,
            ConsentId = composed.ConsentId,
            Justification = vital ? null : composed.Justification,
            JustificationSealed = vital ? SealedContent.Seal(key, Encoding.UTF8.GetBytes(composed.Justification!), SealedPurpose.Justification, header.MessageId) : null,
            JustificationSha256 = vital ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(composed.Justification!))) : null,
            DisclosureProfile = header.DisclosureProfile!,
            DisclosedFields = composed.Minimised.Disclosed,
            SubmittedBy = actor,
            IdempotencyKey = idempotencyKey,
            Envelope = composed.Envelope is null ? null : SealedContent.Seal(key, composed.Envelope, SealedPurpose.SentEnvelope, header.MessageId),
            Content = composed.Payload is null ? null : SealedContent.Seal(key, composed.Payload, SealedPurpose.SentContent, header.MessageId),
            State = DeliveryState.Queued,
            CreatedAt = header.CreatedAt,
            ExpiresAt = deadlines.ExpiresAt(header.To, now),
            NextAttemptAt = now,
        };
    }

    /// <summary>
    /// Everything a submission writes: the message, its outbox row, and what the audit log records of it — names of
    /// disclosed fields and, for VitalInterests, the justification's hash — never values.
    /// </summary>
    public UnitOfWork Submission(OutboundMessage message, string actor)
    {
        ArgumentNullException.ThrowIfNull(message);
        var unit = new UnitOfWork()
            .AddRange(SentMessageStore.Insert(message))
            .Add(OutboxStore.Insert(message.MessageId, message.NextAttemptAt))
            .Attach(audit.Line(actor, AuditActions.MessageSubmitted, message.MessageId, message.PeerId, message.ConversationId, new
            {
                message.MessageType, message.Purpose, message.LegalBasis, message.ConsentId, message.DisclosureProfile,
                Provision = message.LegalBasis == LegalBases.LegalObligation ? message.Justification : null,
                Disclosed = message.DisclosedFields,
            }));
        if (message.LegalBasis == LegalBases.VitalInterests)
        {
            unit.Attach(audit.Line(actor, AuditActions.VitalInterestsDisclosure, message.MessageId, message.PeerId, message.ConversationId,
                new { message.JustificationSha256, Disclosed = message.DisclosedFields }));
        }

        return unit;
    }

    private static SendMessageAccepted Accepted(OutboundMessage message) =>
        new(message.MessageId, message.State, message.ConversationId, message.DisclosedFields);
}
