using System.Text.Json;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Node;
using Gateway.Service.Referrals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Delivery;

/// <summary>How a sent message stands: its state, attempts and receipt, what it disclosed, and its content until erased.</summary>
internal static class SentMessageApi
{
    public static void MapSentMessageApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var api = app.MapGroup("/api/v1/referrals").RequireListener(internalPort).RequireAuthorization(InternalRoles.Caseworker).WithTags("Referrals");
        api.MapGet("/{messageId:guid}", GetAsync).WithSummary("A sent message: state, receipt, disclosed fields and content until erased");
    }

    private static async Task<Results<Ok<MessageStatus>, ProblemHttpResult>> GetAsync(
        Guid messageId, SentMessageStore messages, DeliveryStore deliveries, ContentProtector protector, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (await messages.GetAsync(messageId, cancellationToken) is not { } message)
        {
            return new GatewayProblem(404, DeliveryCodes.NotFound, $"no sent message {messageId}").ToResult();
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
            Attempts = await deliveries.GetAttemptsAsync(messageId, cancellationToken),
        });
    }
}
