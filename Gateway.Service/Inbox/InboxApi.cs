using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Crypto;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Node;
using Gateway.Service.Referrals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Service.Inbox;

/// <summary>What partners sent this node, for its caseworkers, and their answers (DESIGN §8.5).</summary>
internal static class InboxApi
{
    private static readonly string[] ReplyTypes =
        [MessageTypes.ReferralAcknowledgement, MessageTypes.AdmissionDecision, MessageTypes.StatusUpdate, MessageTypes.CaseClosed];

    public static void MapInboxApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var api = app.MapGroup("/api/v1/inbox").RequireListener(internalPort).RequireAuthorization(InternalRoles.Caseworker).WithTags("Inbox");
        api.MapGet("/", ListAsync).WithSummary("Received messages, newest first (metadata)");
        api.MapGet("/{messageId:guid}", GetAsync).WithSummary("One received message with its content, until erased");
        api.MapPost("/{messageId:guid}/replies", ReplyAsync).WithSummary("Answer a received message: acknowledgement, admission decision, status update, case closed");
    }

    private static async Task<Ok<IReadOnlyList<InboxItem>>> ListAsync(InboxStore store, [FromQuery] int? limit, CancellationToken cancellationToken)
    {
        var messages = await store.ListAsync(Math.Clamp(limit ?? 100, 1, 1000), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<InboxItem>>([.. messages.Select(message => ToItem(message))]);
    }

    private static async Task<Results<Ok<InboxItem>, ProblemHttpResult>> GetAsync(
        Guid messageId, InboxStore store, StoredEnvelopes envelopes, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(messageId, cancellationToken) is not { } message)
        {
            return Problem(404, InboxCodes.NotFound, $"no received message {messageId}");
        }

        if (message.Envelope is null)
        {
            return Problem(410, InboxCodes.ContentErased, $"the content of message {messageId} was erased ({message.ErasureReason}) at {message.ContentErasedAt:O}");
        }

        EnvelopePayload payload;
        try
        {
            payload = envelopes.Read(message.Envelope);
        }
        catch (EnvelopeException exception)
        {
            return Problem(500, exception.Code, $"stored message {messageId} no longer opens");
        }

        await audit.RecordAsync(context.User.Actor(), AuditActions.ContentRead, messageId, message.SenderId, message.ConversationId, cancellationToken: cancellationToken);
        return TypedResults.Ok(ToItem(message) with { Body = payload.Body });
    }

    private static async Task<Results<Accepted<SendMessageAccepted>, ProblemHttpResult>> ReplyAsync(
        Guid messageId,
        ReplyRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        InboxStore store,
        ReferralSender sender,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(messageId, cancellationToken) is not { } received)
        {
            return Problem(404, InboxCodes.NotFound, $"no received message {messageId}");
        }

        if (!ReplyTypes.Contains(request.MessageType, StringComparer.Ordinal))
        {
            return Problem(400, ReferralCodes.MessageTypeNotAllowedHere, $"a reply is one of {string.Join(", ", ReplyTypes)}");
        }

        var (accepted, refused) = await sender.SendAsync(
            new ComposeRequest
            {
                Recipient = received.SenderId,
                MessageType = request.MessageType,
                Body = request.Body,
                ConversationId = received.ConversationId,
                InReplyTo = received.MessageId,
                Purpose = MessagePurposes.CaseCoordination,
                LegalBasis = request.LegalBasis,
                ConsentId = request.ConsentId,
                Justification = request.Justification,
            },
            context.User.Actor(),
            idempotencyKey,
            cancellationToken);
        return accepted is not null
            ? TypedResults.Accepted($"/api/v1/referrals/{accepted.MessageId}", accepted)
            : refused!.ToResult();
    }

    internal static InboxItem ToItem(InboundMessage message) => new()
    {
        MessageId = message.MessageId,
        From = message.SenderId,
        MessageType = message.MessageType,
        ConversationId = message.ConversationId,
        InReplyTo = message.InReplyTo,
        Purpose = message.Purpose,
        LegalBasis = message.LegalBasis,
        DisclosureProfile = message.DisclosureProfile,
        CreatedAt = message.CreatedAt,
        ReceivedAt = message.ReceivedAt,
        ContentErasedAt = message.ContentErasedAt,
        ErasureReason = message.ErasureReason,
    };

    private static ProblemHttpResult Problem(int status, string code, string detail) => new GatewayProblem(status, code, detail).ToResult();
}
