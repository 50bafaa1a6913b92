using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Cases;
using Gateway.Service.Node;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Casework;

/// <summary>A case's timeline for the caseworkers of its unit; each view is a read in the audit log.</summary>
internal static class CaseViewApi
{
    public static void MapCaseViewApiV1(this IEndpointRouteBuilder app, int internalPort) =>
        app.MapGet("/api/v1/cases/{caseId}", GetAsync).RequireListener(internalPort).RequireAuthorization(InternalRoles.Caseworker).WithTags("Cases")
            .WithSummary("A case: its unit, assignees, consents, and every message in and out (metadata, field names)");

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> GetAsync(
        string caseId, CaseTimeline timeline, CaseStore cases, CaseAccess access, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (!CaseIds.IsValid(caseId) || await cases.GetAsync(caseId, cancellationToken) is not { } @case)
        {
            return new GatewayProblem(404, CaseCodes.CaseNotFound, "no such case on this node").ToResult();
        }

        var person = context.User.RequiredPerson();
        if (await access.CheckAsync(person, @case, cancellationToken) is { } refused)
        {
            return refused.ToResult();
        }

        var view = (await timeline.ViewAsync(caseId, cancellationToken))!;
        await audit.RecordAsync(person.Id, AuditActions.CaseViewed, conversationId: caseId, cancellationToken: cancellationToken);
        return TypedResults.Ok(view);
    }
}
