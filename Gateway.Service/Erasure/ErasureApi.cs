using Gateway.Service.Access;
using Gateway.Service.Consent;
using Gateway.Service.Node;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Erasure;

/// <summary>The caseworker withdraws a consent for the person (DESIGN §6): cancel what has not left, ask every recipient to erase.</summary>
internal static class ErasureApi
{
    public static void MapErasureApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var api = app.MapGroup("/api/v1/consents").RequireListener(internalPort).RequireAuthorization(InternalRoles.Caseworker).WithTags("Consents");
        api.MapPost("/{consentId:guid}/withdraw", WithdrawAsync).WithSummary("Withdraw: cancel what has not left, ask every recipient to erase, track their confirmations");
    }

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> WithdrawAsync(
        Guid consentId, WithdrawConsentRequest request, ConsentStore consents, WithdrawalCoordinator withdrawals, HttpContext context, CancellationToken cancellationToken)
    {
        if (await consents.GetAsync(consentId, cancellationToken) is null)
        {
            return new GatewayProblem(404, ConsentCodes.ConsentNotFound, $"no consent {consentId}").ToResult();
        }

        await withdrawals.WithdrawAsync(consentId, request.WithdrawnBy, context.User.Actor(), cancellationToken);
        return TypedResults.Ok(new ConsentView
        {
            Consent = (await consents.GetAsync(consentId, cancellationToken))!,
            Erasures = await consents.ListErasureRequestsAsync(consentId, outstandingOnly: false, cancellationToken),
        });
    }
}
