using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Crypto;
using Gateway.Service.Access;
using Gateway.Service.Cases;
using Gateway.Service.Keys;
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

    private static async Task<Ok<IReadOnlyList<InboxItem>>> ListAsync(InboxStore store, HttpContext context, [FromQuery] int? limit, CancellationToken cancellationToken)
    {
        var messages = await store.ListForUnitsAsync(context.User.RequiredPerson().Units, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<InboxItem>>([.. messages.Select(message => ToItem(message))]);
    }

    private static async Task<Results<Ok<InboxItem>, ProblemHttpResult>> GetAsync(
        Guid messageId, InboxStore store, StoredEnvelopes envelopes, CaseKeys keys, CaseAccess access, HttpContext context, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(messageId, cancellationToken) is not { } message)
        {
            return Problem(404, InboxCodes.NotFound, $"no received message {messageId}");
        }

        var person = context.User.RequiredPerson();
        if (await access.CheckAsync(person, message.ConversationId, cancellationToken) is { } refused)
        {
            return refused.ToResult();
        }

        var envelope = message.Envelope is null ? null : await keys.OpenAsync(message.Envelope, SealedPurpose.ReceivedEnvelope, messageId, cancellationToken);
        if (envelope is null)
        {
            return Problem(410, InboxCodes.ContentErased, $"the content of message {messageId} was erased ({message.ErasureReason ?? "case erased"})");
        }

        EnvelopePayload payload;
        try
        {
            payload = envelopes.Read(envelope);
        }
        catch (EnvelopeException exception)
        {
            return Problem(500, exception.Code, $"stored message {messageId} no longer opens");
        }

        await access.RecordReadAsync(person, message.ConversationId, messageId, "received message", cancellationToken);
        return TypedResults.Ok(ToItem(message) with { Body = payload.Body });
    }

    private static async Task<Results<Accepted<SendMessageAccepted>, ProblemHttpResult>> ReplyAsync(
        Guid messageId,
        ReplyRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        InboxStore store,
        ReferralSender sender,
        CaseStore cases,
        CaseAccess access,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(messageId, cancellationToken) is not { } received)
        {
            return Problem(404, InboxCodes.NotFound, $"no received message {messageId}");
        }

        var person = context.User.RequiredPerson();
        var @case = await cases.GetAsync(received.ConversationId, cancellationToken);
        if (@case is not null && await access.CheckAsync(person, @case, cancellationToken) is { } refused)
        {
            return refused.ToResult();
        }

        if (@case?.ErasedAt is not null)
        {
            return Problem(409, CaseCodes.CaseErased, "this case was erased; nothing more can be sent in it");
        }

        if (idempotencyKey is { Length: > ReferralSender.MaxIdempotencyKeyLength })
        {
            return Problem(400, ReferralCodes.IdempotencyKeyInvalid, $"Idempotency-Key must be 1 to {ReferralSender.MaxIdempotencyKeyLength} printable ASCII characters without spaces");
        }

        if (!ReplyTypes.Contains(request.MessageType, StringComparer.Ordinal))
        {
            return Problem(400, ReferralCodes.MessageTypeNotAllowedHere, $"a reply is one of {string.Join(", ", ReplyTypes)}");
        }

        var (accepted, composeRefusal) = await sender.SendAsync(
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
            person.Id,
            idempotencyKey,
            cancellationToken);
        return accepted is not null
            ? TypedResults.Accepted($"/api/v1/referrals/{accepted.MessageId}", accepted)
            : composeRefusal!.ToResult();
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
