using Gateway.Contracts.Messages;
using Gateway.Service.Access;
using Gateway.Service.Cases;
using Gateway.Service.Audit;
using Gateway.Service.Node;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Consent;

/// <summary>Record and read consents (DESIGN §6); withdrawal is the Erasure feature's. Caseworkers only.</summary>
internal static class ConsentsApi
{
    public static void MapConsentsApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var api = app.MapGroup("/api/v1/consents").RequireListener(internalPort).RequireAuthorization(InternalRoles.Caseworker).WithTags("Consents");
        api.MapPost("/", RecordAsync).WithSummary("Record a consent: who gave it, for whom, what for, which data categories, until when");
        api.MapGet("/{consentId:guid}", GetAsync).WithSummary("A consent, its withdrawal, and the erasure confirmations outstanding under it");
    }

    private static async Task<Results<Created<ConsentView>, ProblemHttpResult>> RecordAsync(
        RecordConsentRequest request, ConsentStore store, CaseStore cases, CaseAccess access, AuditLog audit, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var person = context.User.RequiredPerson();
        var now = time.GetUtcNow();
        var validFrom = request.ValidFrom ?? now;
        string? problem = null;
        if (!ConsentReferences.IsSubjectRef(request.SubjectRef))
        {
            problem = $"subjectRef is required: a pseudonymous reference of {ConsentReferences.SubjectRefRule}";
        }
        else if (!ConsentReferences.IsEvidenceRef(request.EvidenceRef))
        {
            problem = $"evidenceRef is required: where the signed form is kept, {ConsentReferences.EvidenceRefRule}";
        }
        else if (request.ConversationId is not null && !CaseIds.IsValid(request.ConversationId))
        {
            return new GatewayProblem(400, CaseCodes.ConversationIdInvalid, $"conversationId must be {CaseIds.Rule}").ToResult();
        }
        else if (request.ValidUntil <= validFrom)
        {
            problem = "validUntil must be after validFrom";
        }
        else if (request.Scope.Purposes.Count == 0 || request.Scope.Purposes.Any(purpose => !MessagePurposes.All.Contains(purpose, StringComparer.Ordinal)))
        {
            problem = $"scope.purposes must list some of {string.Join(", ", MessagePurposes.All)}";
        }
        else if (request.Scope.Categories.Count == 0)
        {
            problem = "scope.categories must list the data categories the person agreed to share";
        }
        else if (request.Scope.Recipients.Count == 0 && request.Scope.RecipientKinds.Count == 0)
        {
            problem = "scope must name recipients or recipientKinds";
        }

        if (problem is not null)
        {
            return new GatewayProblem(400, ConsentCodes.ConsentInvalid, problem).ToResult();
        }

        if (request.SubjectIsMinor && request.GivenBy == ConsentGivenBy.Subject)
        {
            return new GatewayProblem(422, ConsentCodes.MinorWithoutGuardianConsent, "for a minor, consent is given by a guardian or representative").ToResult();
        }

        if (request.SubjectIsMinor && !request.ChildHeard)
        {
            return new GatewayProblem(422, ConsentCodes.ChildNotHeard, "for a minor, record that the child was heard (childHeard)").ToResult();
        }

        var caseId = request.ConversationId ?? CaseIds.New();
        if (await access.CheckAsync(person, caseId, cancellationToken) is { } refused)
        {
            return refused.ToResult();
        }

        if (person.HomeUnit is not { } unit)
        {
            return new GatewayProblem(403, CaseCodes.NoUnit, "you belong to no unit that could own the case").ToResult();
        }

        await cases.OpenAsync(caseId, unit, person.Id, originPeer: null, now, cancellationToken);
        await cases.SetSubjectAsync(caseId, request.SubjectRef, cancellationToken);
        var consent = new ConsentRecord
        {
            ConsentId = Guid.CreateVersion7(now),
            CaseId = caseId,
            SubjectRef = request.SubjectRef,
            GivenBy = request.GivenBy,
            SubjectIsMinor = request.SubjectIsMinor,
            ChildHeard = request.ChildHeard,
            Scope = request.Scope,
            ValidFrom = validFrom,
            ValidUntil = request.ValidUntil,
            EvidenceRef = request.EvidenceRef,
            RecordedAt = now,
            RecordedBy = person.Id,
        };
        await store.AddAsync(consent, cancellationToken);
        await audit.RecordAsync(consent.RecordedBy, AuditActions.ConsentRecorded, conversationId: caseId, detail: new { consent.ConsentId, consent.GivenBy, consent.SubjectIsMinor, consent.Scope }, cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/v1/consents/{consent.ConsentId}", new ConsentView { Consent = consent, Erasures = [] });
    }

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> GetAsync(
        Guid consentId, ConsentStore store, CaseAccess access, HttpContext context, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(consentId, cancellationToken) is not { } consent)
        {
            return new GatewayProblem(404, ConsentCodes.ConsentNotFound, $"no consent {consentId}").ToResult();
        }

        if (await CheckAsync(consent, access, context, cancellationToken) is { } refused)
        {
            return refused.ToResult();
        }

        return TypedResults.Ok(new ConsentView { Consent = consent, Erasures = await store.ListErasureRequestsAsync(consentId, outstandingOnly: false, cancellationToken) });
    }

    /// <summary>Need to know: a consent is seen and withdrawn by the unit of its case (a consent without a case is the intake's, after an upgrade).</summary>
    internal static async Task<GatewayProblem?> CheckAsync(ConsentRecord consent, CaseAccess access, HttpContext context, CancellationToken cancellationToken) =>
        consent.CaseId is { } caseId ? await access.CheckAsync(context.User.RequiredPerson(), caseId, cancellationToken) : CaseAccess.Forbidden();
}
