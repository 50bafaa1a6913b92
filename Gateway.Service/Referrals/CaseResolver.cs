using Gateway.Service.Access;
using Gateway.Service.Cases;
using Gateway.Service.Consent;
using Gateway.Service.Node;

namespace Gateway.Service.Referrals;

/// <summary>
/// The case a new message goes in: the one named, else the consent's, else a new one of the person's unit — and only
/// a case of the person's units (or one opened with break-glass access). Sending opens the case; a preview does not.
/// </summary>
internal sealed class CaseResolver(CaseStore cases, CaseAccess access, ConsentStore consents, TimeProvider time)
{
    public async Task<(string? CaseId, GatewayProblem? Refusal)> ForSendingAsync(Person person, string? conversationId, Guid? consentId, bool open, CancellationToken cancellationToken)
    {
        if (conversationId is not null && !CaseIds.IsValid(conversationId))
        {
            return (null, new GatewayProblem(400, CaseCodes.ConversationIdInvalid, $"conversationId must be {CaseIds.Rule}"));
        }

        var consent = consentId is { } id ? await consents.GetAsync(id, cancellationToken) : null;
        var caseId = conversationId ?? consent?.CaseId ?? CaseIds.New();
        if (await cases.GetAsync(caseId, cancellationToken) is { } existing)
        {
            if (await access.CheckAsync(person, existing, cancellationToken) is { } refused)
            {
                return (null, refused);
            }

            // Under a withdrawn consent the gate's answer (CONSENT_WITHDRAWN) says more than "erased".
            return existing.ErasedAt is null || consent?.WithdrawnAt is not null
                ? (caseId, null)
                : (null, new GatewayProblem(409, CaseCodes.CaseErased, "this case was erased; nothing more can be sent in it"));
        }

        if (person.HomeUnit is not { } unit)
        {
            return (null, new GatewayProblem(403, CaseCodes.NoUnit, "you belong to no unit that could own the case"));
        }

        if (open)
        {
            await cases.OpenAsync(caseId, unit, person.Id, originPeer: null, time.GetUtcNow(), cancellationToken);
        }

        return (caseId, null);
    }
}
