using Gateway.Service.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Gateway.Service.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Service.Referrals;

/// <summary>The caseworker's sending endpoints on the internal listener.</summary>
internal static class ReferralsApi
{
    public static void MapReferralsApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var api = app.MapGroup("/api/v1/referrals").RequireListener(internalPort);
        api.MapPost("/", SendAsync);
        api.MapGet("/{messageId:guid}", GetAsync);
    }

    private static async Task<Results<Accepted<SendMessageAccepted>, ProblemHttpResult>> SendAsync(
        SendMessageRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ReferralSender sender,
        CancellationToken cancellationToken)
    {
        var result = await sender.SendAsync(request, idempotencyKey, cancellationToken);
        return result.AcceptedMessage is { } accepted
            ? TypedResults.Accepted($"/api/v1/referrals/{accepted.MessageId}", accepted)
            : TypedResults.Problem(statusCode: 400, title: result.Code, detail: result.Detail, extensions: new Dictionary<string, object?> { ["code"] = result.Code });
    }

    private static async Task<Results<Ok<MessageStatus>, NotFound>> GetAsync(Guid messageId, GatewayStore store, CancellationToken cancellationToken)
    {
        if (await store.GetOutboundAsync(messageId, cancellationToken) is not { } message)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new MessageStatus
        {
            MessageId = message.MessageId,
            Recipient = message.PeerId,
            MessageType = message.MessageType,
            ConversationId = message.ConversationId,
            State = message.State,
            CreatedAt = message.CreatedAt,
            DeliveredAt = message.DeliveredAt,
            LastError = message.LastError,
            Receipt = message.Receipt is null ? null : Convert.ToBase64String(message.Receipt),
            Attempts = await store.GetAttemptsAsync(messageId, cancellationToken),
        });
    }
}
