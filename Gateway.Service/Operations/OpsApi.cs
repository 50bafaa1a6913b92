using Gateway.Contracts.Messages;
using Gateway.Service.Access;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Operations;

/// <summary>What operators must see without seeing content (DESIGN §6, §10): VitalInterests disclosures and outstanding erasures.</summary>
internal static class OpsApi
{
    public static void MapOpsApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var api = app.MapGroup("/ops/api/v1").RequireListener(internalPort).RequireAuthorization(InternalRoles.OperatorOrAuditor).WithTags("Operations");
        api.MapGet("/vital-interests", VitalInterestsAsync).WithSummary("Messages sent under VitalInterests, with their written justification (no content)");
        api.MapGet("/erasures", ErasuresAsync).WithSummary("ConsentWithdrawn requests and whether each partner confirmed erasure");
    }

    private static async Task<Ok<IReadOnlyList<VitalInterestsDisclosure>>> VitalInterestsAsync(GatewayStore store, CancellationToken cancellationToken)
    {
        var messages = await store.ListOutboundByLegalBasisAsync(LegalBases.VitalInterests, 500, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<VitalInterestsDisclosure>>([.. messages.Select(message => new VitalInterestsDisclosure(
            message.MessageId, message.PeerId, message.ConversationId, message.CreatedAt, message.SubmittedBy, message.Justification ?? string.Empty, message.DisclosedFields, message.State))]);
    }

    private static async Task<Ok<IReadOnlyList<ErasureRequest>>> ErasuresAsync(GatewayStore store, bool? outstanding, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListErasureRequestsAsync(null, outstanding ?? false, cancellationToken));
}
