using System.Security.Cryptography;
using System.Text;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Disclosure;
using Gateway.Service.Keys;
using Gateway.Service.Node;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Cases;

/// <summary>The cases of the caller's units, who works on them, which unit owns them, and break-glass access (DESIGN §14).</summary>
internal static class CasesApi
{
    public static void MapCasesApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var api = app.MapGroup("/api/v1/cases").RequireListener(internalPort).RequireAuthorization(InternalRoles.Caseworker).WithTags("Cases");
        api.MapGet("/", ListAsync).WithSummary("The cases of the caller's units, newest first (metadata)");
        api.MapPut("/{caseId}/assignees", AssignAsync).WithSummary("Set the caseworkers of the case's unit who work on it (audited)");
        api.MapPut("/{caseId}/unit", MoveAsync).WithSummary("Give the case to another unit of this node (audited)");
        api.MapPost("/{caseId}/break-glass", BreakGlassAsync).WithSummary("Open another unit's case for a limited time: a reason code and a note (audited, listed for auditors)");
    }

    private static async Task<Ok<IReadOnlyList<CaseSummary>>> ListAsync(CaseStore cases, HttpContext context, int? limit, CancellationToken cancellationToken)
    {
        var person = context.User.RequiredPerson();
        var list = await cases.ListForUnitsAsync(person.Units, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken);
        var summaries = new List<CaseSummary>(list.Count);
        foreach (var item in list)
        {
            summaries.Add(new CaseSummary(item.CaseId, item.UnitId, item.OpenedAt, item.OpenedBy, item.OriginPeer, await cases.AssigneesAsync(item.CaseId, cancellationToken), item.ErasedAt));
        }

        return TypedResults.Ok<IReadOnlyList<CaseSummary>>(summaries);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> AssignAsync(
        string caseId, AssignCaseRequest request, CaseStore cases, CaseAccess access, PeopleDirectory people, AuditLog audit, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var person = context.User.RequiredPerson();
        if (await FindAsync(caseId, cases, cancellationToken) is not { } @case)
        {
            return NotFound().ToResult();
        }

        if (await access.CheckAsync(person, @case, cancellationToken) is { } refused)
        {
            return refused.ToResult();
        }

        var assignees = request.PersonIds.Distinct(StringComparer.Ordinal).ToList();
        if (assignees.Any(id => people.Find(id) is not { } assignee || !assignee.HasRole(InternalRoles.Caseworker) || !assignee.IsIn(@case.UnitId)))
        {
            return new GatewayProblem(422, CaseCodes.AssigneeNotInUnit, "every assignee must be a caseworker of the case's unit (people.json)").ToResult();
        }

        await cases.AssignAsync(caseId, assignees, person.Id, time.GetUtcNow(), cancellationToken);
        await audit.RecordAsync(person.Id, AuditActions.CaseAssigned, conversationId: caseId, detail: new { Assignees = assignees }, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MoveAsync(
        string caseId, MoveCaseRequest request, CaseStore cases, CaseAccess access, PeopleDirectory people, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var person = context.User.RequiredPerson();
        if (await FindAsync(caseId, cases, cancellationToken) is not { } @case)
        {
            return NotFound().ToResult();
        }

        if (await access.CheckAsync(person, @case, cancellationToken) is { } refused)
        {
            return refused.ToResult();
        }

        if (!people.IsUnit(request.Unit))
        {
            return new GatewayProblem(422, CaseCodes.UnitUnknown, "the unit is not one of this node's units").ToResult();
        }

        await cases.MoveAsync(caseId, request.Unit, cancellationToken);
        await audit.RecordAsync(person.Id, AuditActions.CaseMoved, conversationId: caseId, detail: new { From = @case.UnitId, To = request.Unit }, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<AccessGrant>, ProblemHttpResult>> BreakGlassAsync(
        string caseId, BreakGlassRequest request, CaseStore cases, CaseKeys keys, AuditLog audit, TimeProvider time, IOptions<CasesOptions> options,
        HttpContext context, CancellationToken cancellationToken)
    {
        var person = context.User.RequiredPerson();
        if (await FindAsync(caseId, cases, cancellationToken) is not { } @case)
        {
            return NotFound().ToResult();
        }

        var note = request.Note?.Trim() ?? string.Empty;
        if (!Enum.IsDefined(request.Reason) || note.Length < options.Value.BreakGlassNoteMinimumLength || note.Length > 1000)
        {
            return new GatewayProblem(400, CaseCodes.BreakGlassInvalid,
                $"give a reason ({string.Join(", ", Enum.GetNames<BreakGlassReason>())}) and a note of {options.Value.BreakGlassNoteMinimumLength} to 1000 characters").ToResult();
        }

        if (AnonymityCheck.FindInText(note) is { } kind)
        {
            return new GatewayProblem(422, CaseCodes.BreakGlassInvalid, $"the note contains what looks like {kind}: describe the need without identifying anyone").ToResult();
        }

        var now = time.GetUtcNow();
        var grant = new AccessGrant
        {
            GrantId = Guid.CreateVersion7(now),
            CaseId = caseId,
            PersonId = person.Id,
            Reason = request.Reason,
            NoteSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(note))),
            GrantedAt = now,
            ExpiresAt = now + options.Value.BreakGlassDuration,
        };
        var sealedNote = @case.ErasedAt is null ? await keys.SealAsync(caseId, Encoding.UTF8.GetBytes(note), SealedPurpose.AccessNote, grant.GrantId, cancellationToken) : null;
        await cases.AddGrantAsync(grant, sealedNote, cancellationToken);
        await audit.RecordAsync(person.Id, AuditActions.BreakGlass, conversationId: caseId,
            detail: new { grant.GrantId, Reason = grant.Reason.ToString(), grant.NoteSha256, Unit = @case.UnitId, grant.ExpiresAt }, cancellationToken: cancellationToken);
        return TypedResults.Ok(grant);
    }

    private static async Task<CaseRecord?> FindAsync(string caseId, CaseStore cases, CancellationToken cancellationToken) =>
        CaseIds.IsValid(caseId) ? await cases.GetAsync(caseId, cancellationToken) : null;

    private static GatewayProblem NotFound() => new(404, CaseCodes.CaseNotFound, "no such case on this node");
}
