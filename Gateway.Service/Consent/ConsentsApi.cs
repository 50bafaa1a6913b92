using Gateway.Contracts.Messages;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Consent;

/// <summary>Record, read and withdraw consents (DESIGN §6). Caseworkers only.</summary>
internal static class ConsentsApi
{
    public static void MapConsentsApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var api = app.MapGroup("/api/v1/consents").RequireListener(internalPort).RequireAuthorization(InternalRoles.Caseworker).WithTags("Consents");
        api.MapPost("/", RecordAsync).WithSummary("Record a consent: who gave it, for whom, what for, which data categories, until when");
        api.MapGet("/{consentId:guid}", GetAsync).WithSummary("A consent, its withdrawal, and the erasure confirmations outstanding under it");
        api.MapPost("/{consentId:guid}/withdraw", WithdrawAsync).WithSummary("Withdraw: cancel what has not left, ask every recipient to erase, track their confirmations");
    }

    private static async Task<Results<Created<ConsentView>, ProblemHttpResult>> RecordAsync(
        RecordConsentRequest request, GatewayStore store, AuditLog audit, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var validFrom = request.ValidFrom ?? now;
        string? problem = null;
        if (string.IsNullOrWhiteSpace(request.SubjectRef) || request.SubjectRef.Length > 100)
        {
            problem = "subjectRef (a pseudonymous reference, at most 100 characters) is required";
        }
        else if (string.IsNullOrWhiteSpace(request.EvidenceRef) || request.EvidenceRef.Length > 200)
        {
            problem = "evidenceRef (where the signed form is kept, at most 200 characters) is required";
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
            return new ComposeRefusal(400, ConsentCodes.ConsentInvalid, problem).ToProblem();
        }

        if (request.SubjectIsMinor && request.GivenBy == ConsentGivenBy.Subject)
        {
            return new ComposeRefusal(422, ConsentCodes.MinorWithoutGuardianConsent, "for a minor, consent is given by a guardian or representative").ToProblem();
        }

        if (request.SubjectIsMinor && !request.ChildHeard)
        {
            return new ComposeRefusal(422, ConsentCodes.ChildNotHeard, "for a minor, record that the child was heard (childHeard)").ToProblem();
        }

        var consent = new ConsentRecord
        {
            ConsentId = Guid.CreateVersion7(now),
            SubjectRef = request.SubjectRef,
            GivenBy = request.GivenBy,
            SubjectIsMinor = request.SubjectIsMinor,
            ChildHeard = request.ChildHeard,
            Scope = request.Scope,
            ValidFrom = validFrom,
            ValidUntil = request.ValidUntil,
            EvidenceRef = request.EvidenceRef,
            RecordedAt = now,
            RecordedBy = context.User.Actor(),
        };
        await store.AddConsentAsync(consent, cancellationToken);
        await audit.RecordAsync(consent.RecordedBy, AuditActions.ConsentRecorded, detail: new { consent.ConsentId, consent.GivenBy, consent.SubjectIsMinor, consent.Scope }, cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/v1/consents/{consent.ConsentId}", new ConsentView { Consent = consent, Erasures = [] });
    }

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> GetAsync(Guid consentId, GatewayStore store, CancellationToken cancellationToken)
    {
        if (await store.GetConsentAsync(consentId, cancellationToken) is not { } consent)
        {
            return new ComposeRefusal(404, ConsentCodes.ConsentNotFound, $"no consent {consentId}").ToProblem();
        }

        return TypedResults.Ok(new ConsentView { Consent = consent, Erasures = await store.ListErasureRequestsAsync(consentId, outstandingOnly: false, cancellationToken) });
    }

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> WithdrawAsync(
        Guid consentId, WithdrawConsentRequest request, GatewayStore store, WithdrawalCoordinator withdrawals, HttpContext context, CancellationToken cancellationToken)
    {
        if (await store.GetConsentAsync(consentId, cancellationToken) is null)
        {
            return new ComposeRefusal(404, ConsentCodes.ConsentNotFound, $"no consent {consentId}").ToProblem();
        }

        await withdrawals.WithdrawAsync(consentId, request.WithdrawnBy, context.User.Actor(), cancellationToken);
        return TypedResults.Ok(new ConsentView
        {
            Consent = (await store.GetConsentAsync(consentId, cancellationToken))!,
            Erasures = await store.ListErasureRequestsAsync(consentId, outstandingOnly: false, cancellationToken),
        });
    }
}
