using System.Text.Json;
using Gateway.Service.Access;
using Gateway.Service.Cases;
using Gateway.Service.Keys;
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
        api.MapGet("/{messageId:guid}", GetAsync).WithSummary("A sent message: state, receipt, disclosed fields and content until erased (?content=false: without content, not a read)");
    }

    private static async Task<Results<Ok<MessageStatus>, ProblemHttpResult>> GetAsync(
        Guid messageId, bool? content, SentMessageStore messages, DeliveryStore deliveries, CaseKeys keys, CaseAccess access, HttpContext context, CancellationToken cancellationToken)
    {
        if (await messages.GetAsync(messageId, cancellationToken) is not { } message)
        {
            return new GatewayProblem(404, DeliveryCodes.NotFound, $"no sent message {messageId}").ToResult();
        }

        var person = context.User.RequiredPerson();
        if (await access.CheckAsync(person, message.ConversationId, cancellationToken) is { } refused)
        {
            return refused.ToResult();
        }

        // ?content=false: the state only (a status poll), which opens nothing and so is no read of content.
        var opened = content is false || message.Content is null ? null : await keys.OpenAsync(message.Content, SealedPurpose.SentContent, messageId, cancellationToken);
        if (opened is not null)
        {
            await access.RecordReadAsync(person, message.ConversationId, messageId, "sent message", cancellationToken);
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
            Content = opened is null ? null : JsonSerializer.Deserialize<JsonElement>(opened),
            Attempts = await deliveries.GetAttemptsAsync(messageId, cancellationToken),
        });
    }
}
