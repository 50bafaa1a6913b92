using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Cases;
using Gateway.Service.Consent;
using Gateway.Service.Inbox;
using Gateway.Service.Node;
using Gateway.Service.Referrals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Oversight;

/// <summary>
/// What auditors and the data protection officer see (DESIGN §14): who read which case, break-glass accesses, and the
/// subject report. Metadata and field names only; every report produced is itself in the audit log.
/// </summary>
internal static class OversightApi
{
    private static readonly string[] ReadActions =
        [AuditActions.ContentRead, AuditActions.CaseViewed, AuditActions.CaseAccessRefused, AuditActions.BreakGlass, AuditActions.CaseAssigned, AuditActions.CaseMoved];

    public static void MapOversightApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        var auditors = app.MapGroup("/api/v1/oversight").RequireListener(internalPort).RequireAuthorization(InternalRoles.Auditor).WithTags("Oversight");
        auditors.MapGet("/cases/{caseId}/reads", ReadsAsync).WithSummary("Who read which content of a case, viewed it, was refused or broke the glass, when");
        auditors.MapGet("/break-glass", BreakGlassAsync).WithSummary("Break-glass accesses of the last days (default 30): person, case, reason code, note hash, times");
        app.MapPost("/api/v1/oversight/subject-report", SubjectReportAsync).RequireListener(internalPort).RequireAuthorization(InternalRoles.AuditorOrDataProtectionOfficer)
            .WithTags("Oversight").WithSummary("GDPR Art. 15/19 report of one pseudonymous subject: disclosures, field names, bases, erasure confirmations");
    }

    private static async Task<Results<Ok<IReadOnlyList<CaseRead>>, ProblemHttpResult>> ReadsAsync(string caseId, AuditStore audit, CancellationToken cancellationToken)
    {
        if (!CaseIds.IsValid(caseId))
        {
            return new GatewayProblem(404, CaseCodes.CaseNotFound, "no such case on this node").ToResult();
        }

        var lines = await audit.ListForCaseAsync(caseId, ReadActions, 1000, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<CaseRead>>([.. lines.Select(line => new CaseRead(line.At, line.Actor, line.Action, line.MessageId, line.Detail))]);
    }

    private static async Task<Ok<IReadOnlyList<AccessGrant>>> BreakGlassAsync(CaseStore cases, TimeProvider time, int? days, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cases.ListGrantsAsync(time.GetUtcNow() - TimeSpan.FromDays(Math.Clamp(days ?? 30, 1, 3650)), 1000, cancellationToken));

    private static async Task<Results<Ok<SubjectReport>, ProblemHttpResult>> SubjectReportAsync(
        SubjectReportRequest request, CaseStore cases, ConsentStore consents, SentMessageStore sent, InboxStore inbox, AuditLog audit, TimeProvider time,
        HttpContext context, CancellationToken cancellationToken)
    {
        if (!ConsentReferences.IsSubjectRef(request.SubjectRef))
        {
            return new GatewayProblem(400, ConsentCodes.ConsentInvalid, $"subjectRef must be {ConsentReferences.SubjectRefRule}").ToResult();
        }

        var subjectConsents = await consents.ListForSubjectAsync(request.SubjectRef, cancellationToken);
        var caseIds = (await cases.ListForSubjectAsync(request.SubjectRef, cancellationToken)).Select(@case => @case.CaseId)
            .Concat(subjectConsents.Where(consent => consent.CaseId is not null).Select(consent => consent.CaseId!))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var disclosures = new List<SubjectDisclosure>();
        var received = new List<SubjectReceipt>();
        foreach (var caseId in caseIds)
        {
            disclosures.AddRange((await sent.ListForCaseAsync(caseId, cancellationToken)).Select(message => new SubjectDisclosure(
                message.MessageId, caseId, message.PeerId, message.MessageType, message.CreatedAt, message.DeliveredAt, message.State,
                message.LegalBasis, message.ConsentId, message.DisclosureProfile, message.DisclosedFields)));
            received.AddRange((await inbox.ListForCaseAsync(caseId, cancellationToken)).Select(message => new SubjectReceipt(
                message.MessageId, caseId, message.SenderId, message.MessageType, message.ReceivedAt, message.LegalBasis, message.ContentErasedAt)));
        }

        var erasures = new List<ErasureRequest>();
        foreach (var consent in subjectConsents)
        {
            erasures.AddRange(await consents.ListErasureRequestsAsync(consent.ConsentId, outstandingOnly: false, cancellationToken));
        }

        await audit.RecordAsync(context.User.Actor(), AuditActions.SubjectReport, detail: new { Cases = caseIds, Disclosures = disclosures.Count }, cancellationToken: cancellationToken);
        return TypedResults.Ok(new SubjectReport
        {
            SubjectRef = request.SubjectRef,
            ProducedAt = time.GetUtcNow(),
            Cases = caseIds,
            Consents = subjectConsents,
            Disclosures = disclosures,
            Received = received,
            Erasures = erasures,
        });
    }
}
