using Gateway.Service.Access;
using Gateway.Service.Cases;
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
        Guid consentId, WithdrawConsentRequest request, ConsentStore consents, CaseAccess access, WithdrawalCoordinator withdrawals, HttpContext context, CancellationToken cancellationToken)
    {
        if (await consents.GetAsync(consentId, cancellationToken) is not { } consent)
        {
            return new GatewayProblem(404, ConsentCodes.ConsentNotFound, $"no consent {consentId}").ToResult();
        }

        if (consent.CaseId is null)
        {
            return CaseAccess.Forbidden().ToResult();
        }

        if (await access.CheckAsync(context.User.RequiredPerson(), consent.CaseId, cancellationToken) is { } refused)
        {
            return refused.ToResult();
        }

        if (request.Reason is not { } reason || !Enum.IsDefined(reason))
        {
            return new GatewayProblem(400, ConsentCodes.WithdrawalReasonRequired,
                $"give the reason for withdrawing: one of {string.Join(", ", Enum.GetNames<WithdrawalReason>())}").ToResult();
        }

        await withdrawals.WithdrawAsync(consent, request.WithdrawnBy, reason, context.User.Actor(), cancellationToken);
        return TypedResults.Ok(new ConsentView
        {
            Consent = (await consents.GetAsync(consentId, cancellationToken))!,
            Erasures = await consents.ListErasureRequestsAsync(consentId, outstandingOnly: false, cancellationToken),
        });
    }
}
