using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Messages;
using Gateway.Service.Audit;
using Gateway.Service.Hosting;
using Gateway.Service.Outbox;
using Gateway.Service.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Referrals;

/// <summary>
/// Accepts a message for sending (DESIGN §8.1): composes it (gate, minimiser, seal), then stores message, encrypted
/// content and outbox row in one transaction and records the disclosed field names in the audit log.
/// </summary>
internal sealed class ReferralSender(
    ReferralComposer composer,
    GatewayStore store,
    ContentProtector protector,
    OutboxSignal signal,
    AuditLog audit,
    TimeProvider time,
    IOptions<GatewayNodeOptions> options)
{
    public async Task<(SendMessageAccepted? Accepted, ComposeRefusal? Refusal)> SendAsync(ComposeRequest request, string actor, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (idempotencyKey is not null && await store.FindOutboundByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
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
            await store.AddOutboundAsync(message, cancellationToken, SubmittedAudit(message, actor));
        }
        catch (DuplicateIdempotencyKeyException) when (idempotencyKey is not null)
        {
            // A concurrent retry of the same request stored first: answer with its message.
            return (Accepted((await store.FindOutboundByIdempotencyKeyAsync(idempotencyKey, cancellationToken))!), null);
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
            ExpiresAt = now + options.Value.Delivery.For(header.To).TimeToLive,
            NextAttemptAt = now,
        };
    }

    /// <summary>Audit lines for the node's own messages (erasure notices and confirmations), written after they are stored.</summary>
    public async Task RecordSubmittedAsync(OutboundMessage message, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var entry in SubmittedAudit(message, actor))
        {
            await audit.RecordAsync(entry.Actor, entry.Action, entry.MessageId, entry.PeerId, entry.ConversationId, entry.Detail is null ? null : JsonDocument.Parse(entry.Detail).RootElement, cancellationToken);
        }
    }

    /// <summary>What the audit log records of a submission: names of disclosed fields and, for VitalInterests, the justification — never values.</summary>
    private IReadOnlyList<AuditEntry> SubmittedAudit(OutboundMessage message, string actor)
    {
        var at = time.GetUtcNow();
        var lines = new List<AuditEntry>
        {
            new()
            {
                At = at, Actor = actor, Action = AuditActions.MessageSubmitted, MessageId = message.MessageId, PeerId = message.PeerId, ConversationId = message.ConversationId,
                Detail = JsonSerializer.Serialize(new
                {
                    message.MessageType, message.Purpose, message.LegalBasis, message.ConsentId, message.DisclosureProfile,
                    Provision = message.LegalBasis == LegalBases.LegalObligation ? message.Justification : null,
                    Disclosed = message.DisclosedFields,
                }, GatewayJson.Options),
            },
        };
        if (message.LegalBasis == LegalBases.VitalInterests)
        {
            lines.Add(new()
            {
                At = at, Actor = actor, Action = AuditActions.VitalInterestsDisclosure, MessageId = message.MessageId, PeerId = message.PeerId, ConversationId = message.ConversationId,
                Detail = JsonSerializer.Serialize(new { message.Justification, Disclosed = message.DisclosedFields }, GatewayJson.Options),
            });
        }

        return lines;
    }

    private static SendMessageAccepted Accepted(OutboundMessage message) =>
        new(message.MessageId, message.State, message.ConversationId, message.DisclosedFields);
}
