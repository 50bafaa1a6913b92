using System.Security.Claims;
using Gateway.Contracts.Messages;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Consent;
using Gateway.Service.Delivery;
using Gateway.Service.Node;
using Gateway.Service.Operations.Dashboard;
using Gateway.Service.Outbox;
using Gateway.Service.Referrals;
using Gateway.Service.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Operations;

/// <summary>
/// The delivery queue for operators (DESIGN §8.4, §10): metadata only, never content. Reads are open to operators
/// and auditors; actions (retry, cancel, suspend, resume) to operators, each audited. Actions take a JSON body, so a
/// browser cannot send one from another site without a CORS preflight this node never grants. <c>/ops</c> is the
/// dashboard over these endpoints (see <see cref="Dashboard.DashboardPage"/>).
/// </summary>
internal static class OpsApi
{
    public static void MapOpsApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        // The dashboard (DESIGN §10): a page, its script and style sheet, all reading /ops/v1 below and nothing else.
        var dashboard = app.MapGroup("/ops").RequireListener(internalPort).RequireAuthorization(InternalRoles.OperatorOrAuditor).WithDashboardHeaders().ExcludeFromDescription();
        dashboard.MapGet("", DashboardAssets.Page);
        dashboard.MapGet("/assets/dashboard.js", DashboardAssets.Script);
        dashboard.MapGet("/assets/dashboard.css", DashboardAssets.Styles);

        var reads = app.MapGroup("/ops/v1").RequireListener(internalPort).RequireAuthorization(InternalRoles.OperatorOrAuditor).WithDashboardHeaders().WithTags("Operations");
        reads.MapGet("/me", Me).WithSummary("The caller's role (from the client certificate) and this node's id; the dashboard hides actions from auditors");
        reads.MapGet("/certificates", Certificates).WithSummary("This node's and every peer's certificates: days left and warning level (60/30/7 days)");
        reads.MapGet("/broker", (GatewayMetrics metrics, BrokerQueueProbe probe) => TypedResults.Ok(new { configured = probe.Configured, queues = metrics.BrokerQueues }))
            .WithSummary("This node's RabbitMQ delivery queues: messages waiting and consumers (empty on the in-memory transport)");
        reads.MapGet("/circuits", Circuits).WithSummary("Every peer's circuit breaker as this node last saw it: closed, half-open or open");
        reads.MapGet("/peers", PeersAsync).WithSummary("Every peer: messages by state, delivered in the last day, oldest undelivered, suspended");
        reads.MapGet("/messages", MessagesAsync).WithSummary("Sent messages (metadata), newest first; ?state=Failed&peer=FI-NRM");
        reads.MapGet("/messages/{messageId:guid}", MessageAsync).WithSummary("One sent message's metadata and every state it went through");
        reads.MapGet("/vital-interests", VitalInterestsAsync).WithSummary("Messages sent under VitalInterests, with their written justification (no content)");
        reads.MapGet("/erasures", ErasuresAsync).WithSummary("ConsentWithdrawn requests and whether each partner confirmed erasure");

        var actions = app.MapGroup("/ops/v1").RequireListener(internalPort).RequireAuthorization(InternalRoles.Operator).WithTags("Operations");
        actions.MapPost("/messages/{messageId:guid}/retry", RetryAsync).WithSummary("Send a Failed message again, same message id, fresh time-to-live");
        actions.MapPost("/messages/{messageId:guid}/cancel", CancelAsync).WithSummary("Cancel a message that is not delivered and not on the wire");
        actions.MapPost("/peers/{peerId}/suspend", SuspendAsync).WithSummary("Hold every message to this peer until resumed");
        actions.MapPost("/peers/{peerId}/resume", ResumeAsync).WithSummary("Release a suspended peer's messages");
    }

    private static Ok<CallerView> Me(ClaimsPrincipal user, NodeIdentity identity) =>
        TypedResults.Ok(new CallerView(user.FindFirstValue(ClaimTypes.Role) ?? "unknown", identity.NodeId));

    private static Ok<IReadOnlyList<CertificateExpiry>> Certificates(NodeIdentity identity, TimeProvider time) =>
        TypedResults.Ok(CertificateExpiry.ListAll(identity, time.GetUtcNow()));

    private static Ok<IReadOnlyList<PeerCircuitView>> Circuits(NodeIdentity identity, IServiceProvider services)
    {
        var metrics = services.GetService<GatewayMetrics>();
        return TypedResults.Ok<IReadOnlyList<PeerCircuitView>>([.. identity.Peers.Peers.Select(peer => new PeerCircuitView(peer.Id, metrics?.CircuitState(peer.Id) switch
        {
            0 => "closed",
            1 => "half-open",
            2 => "open",
            _ => "unknown",
        }))]);
    }

    private static async Task<Ok<IReadOnlyList<PeerQueueView>>> PeersAsync(OperationsStore store, NodeIdentity identity, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var summaries = (await store.SummarizePeersAsync(now, cancellationToken)).ToDictionary(summary => summary.PeerId, StringComparer.Ordinal);
        var suspended = await store.ListSuspendedPeersAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<PeerQueueView>>([.. identity.Peers.Peers.Select(peer => new PeerQueueView
        {
            PeerId = peer.Id,
            DisplayName = peer.DisplayName,
            Kind = peer.Kind.ToString(),
            Suspended = suspended.Contains(peer.Id),
            Queue = summaries.GetValueOrDefault(peer.Id) ?? new PeerQueueSummary { PeerId = peer.Id },
        })]);
    }

    private static async Task<Ok<IReadOnlyList<QueueMessage>>> MessagesAsync(OperationsStore store, DeliveryState? state, string? peer, int? limit, CancellationToken cancellationToken)
    {
        var messages = await store.ListMetadataAsync(state, peer, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<QueueMessage>>([.. messages.Select(message => QueueMessage.From(message, null))]);
    }

    private static async Task<Results<Ok<QueueMessage>, ProblemHttpResult>> MessageAsync(Guid messageId, SentMessageStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(messageId, cancellationToken) is not { } message)
        {
            return new GatewayProblem(404, OperationsCodes.NotFound, $"no sent message {messageId}").ToResult();
        }

        return TypedResults.Ok(QueueMessage.From(message, await store.ListTransitionsAsync(messageId, cancellationToken)));
    }

    private static async Task<Results<Ok<OperatorActionAnswer>, ProblemHttpResult>> RetryAsync(
        Guid messageId, OperatorActionRequest request, OperationsStore store, SentMessageStore messages, OutboxSignal signal, AuditLog audit, TimeProvider time,
        IOptions<DeliveryOptions> options, HttpContext context, CancellationToken cancellationToken)
    {
        var message = await messages.GetAsync(messageId, cancellationToken);
        var ttl = options.Value.For(message?.PeerId ?? string.Empty).TimeToLive;
        var result = await store.RetryMessageAsync(messageId, time.GetUtcNow(), ttl, cancellationToken);
        return await AnswerAsync(result, "retry", messageId, message, request, audit, context, cancellationToken, signal.Notify);
    }

    private static async Task<Results<Ok<OperatorActionAnswer>, ProblemHttpResult>> CancelAsync(
        Guid messageId, OperatorActionRequest request, OperationsStore store, SentMessageStore messages, AuditLog audit, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var message = await messages.GetAsync(messageId, cancellationToken);
        var result = await store.CancelMessageAsync(messageId, time.GetUtcNow(), cancellationToken);
        return await AnswerAsync(result, "cancel", messageId, message, request, audit, context, cancellationToken);
    }

    private static async Task<Results<Ok<OperatorActionAnswer>, ProblemHttpResult>> SuspendAsync(
        string peerId, OperatorActionRequest request, OperationsStore store, NodeIdentity identity, AuditLog audit, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        if (identity.Peers.Find(peerId) is null)
        {
            return new GatewayProblem(404, OperationsCodes.UnknownPeer, "no registered peer has that id").ToResult();
        }

        var held = await store.SuspendPeerAsync(peerId, context.User.Actor(), time.GetUtcNow(), cancellationToken);
        await audit.RecordAsync(context.User.Actor(), AuditActions.PeerSuspended, peerId: peerId, detail: new { request.Reason, Held = held }, cancellationToken: cancellationToken);
        return TypedResults.Ok(new OperatorActionAnswer("suspended", held));
    }

    private static async Task<Results<Ok<OperatorActionAnswer>, ProblemHttpResult>> ResumeAsync(
        string peerId, OperatorActionRequest request, OperationsStore store, NodeIdentity identity, OutboxSignal signal, AuditLog audit, TimeProvider time,
        HttpContext context, CancellationToken cancellationToken)
    {
        if (identity.Peers.Find(peerId) is null)
        {
            return new GatewayProblem(404, OperationsCodes.UnknownPeer, "no registered peer has that id").ToResult();
        }

        var released = await store.ResumePeerAsync(peerId, time.GetUtcNow(), cancellationToken);
        await audit.RecordAsync(context.User.Actor(), AuditActions.PeerResumed, peerId: peerId, detail: new { request.Reason, Released = released }, cancellationToken: cancellationToken);
        signal.Notify();
        return TypedResults.Ok(new OperatorActionAnswer("resumed", released));
    }

    private static async Task<Results<Ok<OperatorActionAnswer>, ProblemHttpResult>> AnswerAsync(
        OperatorActionResult result, string action, Guid messageId, OutboundMessage? message, OperatorActionRequest request, AuditLog audit, HttpContext context,
        CancellationToken cancellationToken, Action? onSuccess = null)
    {
        if (!result.Exists)
        {
            return new GatewayProblem(404, OperationsCodes.NotFound, $"no sent message {messageId}").ToResult();
        }

        if (!result.Succeeded)
        {
            return new GatewayProblem(409, OperationsCodes.NotAllowedInState, $"message {messageId} is {result.State}: {action} is not possible now").ToResult();
        }

        await audit.RecordAsync(context.User.Actor(), action == "retry" ? AuditActions.MessageRetried : AuditActions.MessageCancelled, messageId, message?.PeerId,
            message?.ConversationId, new { request.Reason }, cancellationToken);
        onSuccess?.Invoke();
        return TypedResults.Ok(new OperatorActionAnswer(action == "retry" ? "queued" : "cancelled", 1));
    }

    private static async Task<Ok<IReadOnlyList<VitalInterestsDisclosure>>> VitalInterestsAsync(SentMessageStore store, CancellationToken cancellationToken)
    {
        var messages = await store.ListByLegalBasisAsync(LegalBases.VitalInterests, 500, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<VitalInterestsDisclosure>>([.. messages.Select(message => new VitalInterestsDisclosure(
            message.MessageId, message.PeerId, message.ConversationId, message.CreatedAt, message.SubmittedBy, message.JustificationSha256, message.DisclosedFields, message.State))]);
    }

    private static async Task<Ok<IReadOnlyList<ErasureRequest>>> ErasuresAsync(ConsentStore store, bool? outstanding, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListErasureRequestsAsync(null, outstanding ?? false, cancellationToken));
}
