using Gateway.Contracts.Envelopes;
using Gateway.Service.Access;
using Gateway.Service.Cases;
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
        CaseResolver cases,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if ((RefuseType(request.MessageType) ?? RefuseIdempotencyKey(idempotencyKey)) is { } refusal)
        {
            return refusal.ToResult();
        }

        var person = context.User.RequiredPerson();
        var (caseId, refused) = await cases.ForSendingAsync(person, request.ConversationId, request.ConsentId, open: true, cancellationToken);
        if (refused is not null)
        {
            return refused.ToResult();
        }

        var (accepted, composeRefusal) = await sender.SendAsync(ToCompose(request, caseId!), person.Id, idempotencyKey, cancellationToken);
        return accepted is not null
            ? TypedResults.Accepted($"/api/v1/referrals/{accepted.MessageId}", accepted)
            : composeRefusal!.ToResult();
    }

    private static async Task<Results<Ok<ReferralPreview>, ProblemHttpResult>> PreviewAsync(
        SendMessageRequest request, ReferralComposer composer, CaseResolver cases, CaseAccess access, HttpContext context, CancellationToken cancellationToken)
    {
        if (RefuseType(request.MessageType) is { } refusal)
        {
            return refusal.ToResult();
        }

        var person = context.User.RequiredPerson();
        var (caseId, refused) = await cases.ForSendingAsync(person, request.ConversationId, request.ConsentId, open: false, cancellationToken);
        if (refused is not null)
        {
            return refused.ToResult();
        }

        var result = await composer.ComposeAsync(ToCompose(request, caseId!), seal: false, cancellationToken);
        if (result.Refusal is { } composeRefusal)
        {
            return composeRefusal.ToResult();
        }

        // A preview shows what would leave: a read of the case's content.
        await access.RecordReadAsync(person, caseId!, null, "preview", cancellationToken);
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

    private static GatewayProblem? RefuseIdempotencyKey(string? key) =>
        key is null || (key.Length is > 0 and <= ReferralSender.MaxIdempotencyKeyLength && key.All(c => c is >= '!' and <= '~'))
            ? null
            : new GatewayProblem(400, ReferralCodes.IdempotencyKeyInvalid, $"Idempotency-Key must be 1 to {ReferralSender.MaxIdempotencyKeyLength} printable ASCII characters without spaces");

    private static ComposeRequest ToCompose(SendMessageRequest request, string caseId) => new()
    {
        Recipient = request.Recipient,
        MessageType = request.MessageType,
        Body = request.Body,
        ConversationId = caseId,
        Purpose = request.Purpose,
        LegalBasis = request.LegalBasis,
        ConsentId = request.ConsentId,
        Justification = request.Justification,
    };
}
