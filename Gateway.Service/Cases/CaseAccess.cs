using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Node;

namespace Gateway.Service.Cases;

/// <summary>
/// Need to know (DESIGN §14): a caseworker sees and acts on the cases of their units only. Another unit's case is
/// reachable through break-glass access alone (a reason, a time limit, the auditor's attention). A refusal is an audit
/// line, and every read of content is one too (<see cref="RecordReadAsync"/>): person, case, message, time — never values.
/// </summary>
public sealed class CaseAccess(CaseStore cases, AuditLog audit, TimeProvider time)
{
    /// <summary>Null when <paramref name="person"/> may see and act on the case; otherwise the refusal, already audited.</summary>
    public async Task<GatewayProblem?> CheckAsync(Person person, CaseRecord @case, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(@case);
        if (person.IsIn(@case.UnitId) || await cases.HasGrantAsync(@case.CaseId, person.Id, time.GetUtcNow(), cancellationToken))
        {
            return null;
        }

        await audit.RecordAsync(person.Id, AuditActions.CaseAccessRefused, conversationId: @case.CaseId, cancellationToken: cancellationToken);
        return Forbidden();
    }

    /// <summary>Like <see cref="CheckAsync(Person, CaseRecord, CancellationToken)"/> for a case id; a case that does not exist here is allowed (it is about to be opened).</summary>
    public async Task<GatewayProblem?> CheckAsync(Person person, string caseId, CancellationToken cancellationToken) =>
        await cases.GetAsync(caseId, cancellationToken) is { } @case ? await CheckAsync(person, @case, cancellationToken) : null;

    /// <summary>The read audit: who read which content of which case, when.</summary>
    public Task RecordReadAsync(Person person, string caseId, Guid? messageId, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        return audit.RecordAsync(person.Id, AuditActions.ContentRead, messageId, conversationId: caseId, detail: new { Read = what }, cancellationToken: cancellationToken);
    }

    public static GatewayProblem Forbidden() =>
        new(403, CaseCodes.CaseForbidden, "this case belongs to a unit you are not in; open it with break-glass access (a reason is required and audited) if you must");
}
