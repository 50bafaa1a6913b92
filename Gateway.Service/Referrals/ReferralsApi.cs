using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Service.Referrals;

/// <summary>The caseworker's sending endpoints on the internal listener.</summary>
internal static class ReferralsApi
{
    private static readonly string[] NewConversationTypes = [MessageTypes.ReferralRequest, MessageTypes.AnonymousConsultation];

    public static void MapReferralsApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var api = app.MapGroup("/api/v1/referrals").RequireListener(internalPort).RequireAuthorization(InternalRoles.Caseworker).WithTags("Referrals");
        api.MapPost("/", SendAsync).WithSummary("Send a referral or an anonymous consultation (consent gate, minimisation, seal, outbox)");
        api.MapPost("/preview", PreviewAsync).WithSummary("Exactly what the recipient would receive, without sending");
        api.MapGet("/{messageId:guid}", GetAsync).WithSummary("A sent message: state, receipt, disclosed fields and content until erased");
    }

    private static async Task<Results<Accepted<SendMessageAccepted>, ProblemHttpResult>> SendAsync(
        SendMessageRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ReferralSender sender,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (RefuseType(request.MessageType) is { } refusal)
        {
            return refusal.ToProblem();
        }

        var (accepted, refused) = await sender.SendAsync(ToCompose(request), context.User.Actor(), idempotencyKey, cancellationToken);
        return accepted is not null
            ? TypedResults.Accepted($"/api/v1/referrals/{accepted.MessageId}", accepted)
            : refused!.ToProblem();
    }

    private static async Task<Results<Ok<ReferralPreview>, ProblemHttpResult>> PreviewAsync(SendMessageRequest request, ReferralComposer composer, CancellationToken cancellationToken)
    {
        if (RefuseType(request.MessageType) is { } refusal)
        {
            return refusal.ToProblem();
        }

        var result = await composer.ComposeAsync(ToCompose(request), seal: false, cancellationToken);
        if (result.Refusal is { } refused)
        {
            return refused.ToProblem();
        }

        var message = result.Message!;
        return TypedResults.Ok(new ReferralPreview
        {
            Recipient = message.Header.To,
            MessageType = message.Header.MessageType,
            Purpose = message.Header.Purpose!,
            LegalBasis = message.Header.LegalBasis,
            DisclosureProfile = message.Header.DisclosureProfile!,
            Body = message.Minimised.Body,
            DisclosedFields = message.Minimised.Disclosed,
            Withheld = message.Minimised.Withheld,
        });
    }

    private static async Task<Results<Ok<MessageStatus>, ProblemHttpResult>> GetAsync(
        Guid messageId, GatewayStore store, ContentProtector protector, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (await store.GetOutboundAsync(messageId, cancellationToken) is not { } message)
        {
            return new ComposeRefusal(404, ReferralCodes.NotFound, $"no sent message {messageId}").ToProblem();
        }

        if (message.Content is not null)
        {
            await audit.RecordAsync(context.User.Actor(), AuditActions.ContentRead, messageId, message.PeerId, message.ConversationId, cancellationToken: cancellationToken);
        }

        return TypedResults.Ok(new MessageStatus
        {
            MessageId = message.MessageId,
            Recipient = message.PeerId,
            MessageType = message.MessageType,
            ConversationId = message.ConversationId,
            InReplyTo = message.InReplyTo,
            Purpose = message.Purpose,
            LegalBasis = message.LegalBasis,
            ConsentId = message.ConsentId,
            DisclosureProfile = message.DisclosureProfile,
            DisclosedFields = message.DisclosedFields,
            State = message.State,
            CreatedAt = message.CreatedAt,
            DeliveredAt = message.DeliveredAt,
            LastError = message.LastError,
            Receipt = message.Receipt is null ? null : Convert.ToBase64String(message.Receipt),
            ContentErasedAt = message.ContentErasedAt,
            Content = message.Content is null ? null : JsonSerializer.Deserialize<JsonElement>(protector.Unprotect(message.Content, message.MessageId)),
            Attempts = await store.GetAttemptsAsync(messageId, cancellationToken),
        });
    }

    private static ComposeRefusal? RefuseType(string messageType) =>
        NewConversationTypes.Contains(messageType, StringComparer.Ordinal)
            ? null
            : new ComposeRefusal(400, MessageTypes.IsKnown(messageType) ? ReferralCodes.MessageTypeNotAllowedHere : ReferralCodes.UnknownMessageType,
                $"this endpoint starts {string.Join(" or ", NewConversationTypes)}; answers go through /api/v1/inbox/{{id}}/replies");

    private static ComposeRequest ToCompose(SendMessageRequest request) => new()
    {
        Recipient = request.Recipient,
        MessageType = request.MessageType,
        Body = request.Body,
        ConversationId = request.ConversationId,
        Purpose = request.Purpose,
        LegalBasis = request.LegalBasis,
        ConsentId = request.ConsentId,
        Justification = request.Justification,
    };
}
