using Gateway.Contracts.Messages;
using Gateway.Crypto.Peers;
using Gateway.Service.Disclosure;

namespace Gateway.Service.Consent;

/// <summary>
/// Does a legal basis cover this recipient and purpose, and which categories about the person (DESIGN §6)? Runs
/// when the caseworker submits and again before every delivery attempt; pure, so both runs judge alike.
/// </summary>
public sealed class ConsentGate(DisclosurePolicy policy)
{
    /// <summary>Judges a legal basis. <paramref name="subjectIsMinor"/> comes from the body (child block or birth date).</summary>
    /// <param name="justificationRecorded">A VitalInterests justification was accepted when the message was submitted (it is sealed now): the recheck before a delivery attempt.</param>
    public LegalBasisDecision Evaluate(
        string? legalBasis, ConsentRecord? consent, string? justification, TrustedPeer recipient, string purpose, bool subjectIsMinor, DateTimeOffset now, bool justificationRecorded = false)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        switch (legalBasis)
        {
            case null:
                return LegalBasisDecision.Refuse(ConsentCodes.LegalBasisRequired, $"legalBasis must be one of {string.Join(", ", LegalBases.All)}");
            case LegalBases.Consent:
                return consent is null
                    ? LegalBasisDecision.Refuse(ConsentCodes.ConsentNotFound, "the consent does not exist on this node")
                    : EvaluateConsent(consent, recipient, purpose, subjectIsMinor, now);
            case LegalBases.VitalInterests:
                if (!justificationRecorded && (string.IsNullOrWhiteSpace(justification) || justification.Trim().Length < policy.MinimumJustificationLength))
                {
                    return LegalBasisDecision.Refuse(ConsentCodes.JustificationRequired, $"VitalInterests needs a written justification of at least {policy.MinimumJustificationLength} characters");
                }

                return purpose == MessagePurposes.Assistance
                    ? new LegalBasisDecision { Covered = policy.VitalInterestsCategories, Reference = LegalBases.VitalInterests }
                    : LegalBasisDecision.Refuse(ConsentCodes.PurposeNotCovered, "VitalInterests covers assistance only");
            case LegalBases.LegalObligation:
                return policy.LegalObligationFor(recipient.Kind, purpose) is { } rule
                    ? new LegalBasisDecision { Covered = rule.Categories.ToHashSet(), Reference = rule.Reference }
                    : LegalBasisDecision.Refuse(ConsentCodes.LegalObligationNotConfigured, $"no legal obligation is configured for {recipient.Kind} recipients and purpose {purpose}");
            default:
                return LegalBasisDecision.Refuse(ConsentCodes.LegalBasisUnknown, $"legalBasis must be one of {string.Join(", ", LegalBases.All)}");
        }
    }

    private static LegalBasisDecision EvaluateConsent(ConsentRecord consent, TrustedPeer recipient, string purpose, bool subjectIsMinor, DateTimeOffset now)
    {
        if (consent.WithdrawnAt is not null)
        {
            return LegalBasisDecision.Refuse(ConsentCodes.ConsentWithdrawn, $"consent {consent.ConsentId} was withdrawn");
        }

        if (now < consent.ValidFrom)
        {
            return LegalBasisDecision.Refuse(ConsentCodes.ConsentNotYetValid, $"consent {consent.ConsentId} is valid from {consent.ValidFrom:O}");
        }

        if (now >= consent.ValidUntil)
        {
            return LegalBasisDecision.Refuse(ConsentCodes.ConsentExpired, $"consent {consent.ConsentId} expired at {consent.ValidUntil:O}");
        }

        if (!consent.Scope.Recipients.Contains(recipient.Id, StringComparer.Ordinal) && !consent.Scope.RecipientKinds.Contains(recipient.Kind))
        {
            return LegalBasisDecision.Refuse(ConsentCodes.RecipientNotCovered, $"consent {consent.ConsentId} does not cover {recipient.Id} ({recipient.Kind})");
        }

        if (!consent.Scope.Purposes.Contains(purpose, StringComparer.Ordinal))
        {
            return LegalBasisDecision.Refuse(ConsentCodes.PurposeNotCovered, $"consent {consent.ConsentId} does not cover purpose {purpose}");
        }

        if (subjectIsMinor || consent.SubjectIsMinor)
        {
            if (consent.GivenBy == ConsentGivenBy.Subject)
            {
                return LegalBasisDecision.Refuse(ConsentCodes.MinorWithoutGuardianConsent, $"the person is a minor; consent {consent.ConsentId} was given by the subject, not a guardian or representative");
            }

            if (!consent.ChildHeard)
            {
                return LegalBasisDecision.Refuse(ConsentCodes.ChildNotHeard, $"the person is a minor; consent {consent.ConsentId} does not record that the child was heard");
            }
        }

        return new LegalBasisDecision { Covered = consent.Scope.Categories.ToHashSet() };
    }
}
