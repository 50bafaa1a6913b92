using Gateway.Contracts.Envelopes;
using Gateway.Service.Access;
using Gateway.Service.Node;
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
            return refusal.ToResult();
        }

        var (accepted, refused) = await sender.SendAsync(ToCompose(request), context.User.Actor(), idempotencyKey, cancellationToken);
        return accepted is not null
            ? TypedResults.Accepted($"/api/v1/referrals/{accepted.MessageId}", accepted)
            : refused!.ToResult();
    }

    private static async Task<Results<Ok<ReferralPreview>, ProblemHttpResult>> PreviewAsync(SendMessageRequest request, ReferralComposer composer, CancellationToken cancellationToken)
    {
        if (RefuseType(request.MessageType) is { } refusal)
        {
            return refusal.ToResult();
        }

        var result = await composer.ComposeAsync(ToCompose(request), seal: false, cancellationToken);
        if (result.Refusal is { } refused)
        {
            return refused.ToResult();
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

    private static GatewayProblem? RefuseType(string messageType) =>
        NewConversationTypes.Contains(messageType, StringComparer.Ordinal)
            ? null
            : new GatewayProblem(400, MessageTypes.IsKnown(messageType) ? ReferralCodes.MessageTypeNotAllowedHere : ReferralCodes.UnknownMessageType,
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
