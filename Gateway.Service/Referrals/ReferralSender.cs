using Gateway.Contracts.Messages;
using Gateway.Service.Audit;
using Gateway.Service.Node;
using Gateway.Service.Outbox;
using Gateway.Service.Persistence;

namespace Gateway.Service.Referrals;

/// <summary>
/// Accepts a message for sending (DESIGN §8.1): composes it (gate, minimiser, seal), then stores message, encrypted
/// content, outbox row and the audit lines naming the disclosed fields in one unit of work.
/// </summary>
internal sealed class ReferralSender(
    ReferralComposer composer,
    SentMessageStore messages,
    ContentProtector protector,
    OutboxSignal signal,
    AuditLog audit,
    IMessageDeadlines deadlines,
    TimeProvider time)
{
    public async Task<(SendMessageAccepted? Accepted, GatewayProblem? Refusal)> SendAsync(ComposeRequest request, string actor, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (idempotencyKey is not null && await messages.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
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

        var message = ToOutbound(result.Message!, actor, idempotencyKey);
        try
        {
            // The audit lines commit with the message: a crash cannot leave one without the other.
            await messages.AddAsync(message, Submission(message, actor), cancellationToken);
        }
        catch (DuplicateIdempotencyKeyException) when (idempotencyKey is not null)
        {
            // A concurrent retry of the same request stored first: answer with its message.
            return (Accepted((await messages.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken))!), null);
        }

        signal.Notify();
        return (Accepted(message), null);
    }

    /// <summary>The row for a composed message, its content encrypted with the node's key.</summary>
    public OutboundMessage ToOutbound(ComposedMessage composed, string actor, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(composed);
        var header = composed.Header;
        var now = time.GetUtcNow();
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
            Justification = composed.Justification,
            DisclosureProfile = header.DisclosureProfile!,
            DisclosedFields = composed.Minimised.Disclosed,
            SubmittedBy = actor,
            IdempotencyKey = idempotencyKey,
            Envelope = composed.Envelope,
            Content = composed.Payload is null ? null : protector.Protect(composed.Payload, header.MessageId),
            State = DeliveryState.Queued,
            CreatedAt = header.CreatedAt,
            ExpiresAt = deadlines.ExpiresAt(header.To, now),
            NextAttemptAt = now,
        };
    }

    /// <summary>
    /// Everything a submission writes: the message, its outbox row, and what the audit log records of it — names of
    /// disclosed fields and, for VitalInterests, the justification — never values.
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
                new { message.Justification, Disclosed = message.DisclosedFields }));
        }

        return unit;
    }

    private static SendMessageAccepted Accepted(OutboundMessage message) =>
        new(message.MessageId, message.State, message.ConversationId, message.DisclosedFields);
}
