using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Contracts.Peering;

namespace Gateway.Service.Disclosure;

/// <summary>The profiles of DESIGN §7, used where configuration names none.</summary>
public static class DisclosureDefaults
{
    public const string ContactPoint = "contact-point";
    public const string NgoShelter = "ngo-shelter";
    public const string LawEnforcement = "law-enforcement";
    public const string Consultation = "consultation";
    public const string CaseCoordination = "case-coordination";
    public const string NgoCaseCoordination = "ngo-case-coordination";
    public const string LawEnforcementCaseCoordination = "law-enforcement-case-coordination";
    public const string Erasure = "erasure";

    /// <summary>The Residence fields a shelter gets: it arranges counselling and plans the stay, nothing more.</summary>
    public static IReadOnlyList<string> ShelterResidenceFields { get; } = ["residence.legalCounsellingNeeded", "residence.reflectionPeriodEnd"];

    private static readonly PeerKind[] AllKinds = [PeerKind.ContactPoint, PeerKind.Ngo, PeerKind.LawEnforcement];

    private static readonly string[] CoordinationTypes =
        [MessageTypes.ReferralAcknowledgement, MessageTypes.AdmissionDecision, MessageTypes.StatusUpdate, MessageTypes.CaseClosed];

    /// <summary>The built-in profiles with no legal obligation configured: law enforcement never gets Residence.</summary>
    public static IReadOnlyList<DisclosureProfile> Profiles() => Profiles([]);

    /// <summary>
    /// The built-in profiles. Law enforcement's profile for a purpose lets Residence out only when the LegalObligation
    /// rule that applies to it (the first for LawEnforcement and that purpose, as the consent gate picks) names Residence.
    /// </summary>
    public static IReadOnlyList<DisclosureProfile> Profiles(IReadOnlyList<LegalObligationRule> legalObligations)
    {
        ArgumentNullException.ThrowIfNull(legalObligations);
        bool ResidenceObliged(string purpose) =>
            legalObligations.FirstOrDefault(rule => rule.RecipientKind == PeerKind.LawEnforcement && rule.Purposes.Contains(purpose, StringComparer.Ordinal)) is { } rule
            && rule.Categories.Contains(DataCategory.Residence);

        var residenceToPolice = ResidenceObliged(MessagePurposes.CriminalProceedings);
        var residenceToPoliceInCoordination = ResidenceObliged(MessagePurposes.CaseCoordination);
        return
        [
            new()
            {
                // A foreign contact point: the full referral minus criminal-case and clinical detail, Residence included.
                Name = ContactPoint,
                RecipientKinds = [PeerKind.ContactPoint],
                Purposes = [MessagePurposes.Assistance],
                Fields = [.. ReferralFields(field => field.Category is not (DataCategory.CriminalCase or DataCategory.Health))],
            },
            new()
            {
                // A shelter: whom to expect, when, how to keep them safe, what they need, and for a child who the guardian
                // is. Nothing that identifies them to a third party, no health, exploitation or criminal-case data, and of
                // Residence only whether counselling is needed and when the reflection period ends.
                Name = NgoShelter,
                RecipientKinds = [PeerKind.Ngo],
                Purposes = [MessagePurposes.Assistance],
                Fields =
                [
                    "prs_AgeBand", "prs_Gender", "prs_PrimaryLanguage", "prs_SecondaryLanguage", "interpreterNeeded",
                    .. ReferralFields(field => field.Category is DataCategory.Safety or DataCategory.Logistics or DataCategory.Professional or DataCategory.Child),
                    .. ShelterResidenceFields,
                    "spl_Type", "cas_ReasonForOutgoingReferral", "cas_OutgoingReferralDetails", "cas_OutgoingReferralDate",
                ],
                Transforms = new() { ["prs_FirstName"] = FieldTransform.FirstNameOnly, ["prs_Birthdate"] = FieldTransform.AgeBand },
            },
            new()
            {
                // Law enforcement: criminal-case fields, only under its own legal basis (a LegalObligation rule or consent).
                // Residence never by default: a status the police may act on goes only where a law obliges it.
                Name = LawEnforcement,
                RecipientKinds = [PeerKind.LawEnforcement],
                Purposes = [MessagePurposes.CriminalProceedings],
                Fields = [.. ReferralFields(field => field.Category is DataCategory.Identity or DataCategory.Demographic or DataCategory.Exploitation
                    or DataCategory.CriminalCase or DataCategory.Professional or DataCategory.Administrative
                    || (residenceToPolice && field.Category == DataCategory.Residence))],
            },
            new() { Name = Consultation, RecipientKinds = [.. AllKinds], Purposes = [MessagePurposes.Consultation], Fields = [.. AllFieldsOf(MessageTypes.AnonymousConsultation)] },
            new()
            {
                // Answers within a case to a contact point: everything, a change of residence included.
                Name = CaseCoordination,
                RecipientKinds = [PeerKind.ContactPoint],
                Purposes = [MessagePurposes.CaseCoordination],
                Fields = [.. CoordinationFields(_ => true)],
            },
            new()
            {
                // The same to a shelter, with the shelter's share of Residence only (a reflection period extended).
                Name = NgoCaseCoordination,
                RecipientKinds = [PeerKind.Ngo],
                Purposes = [MessagePurposes.CaseCoordination],
                Fields = [.. CoordinationFields(field => field.Category != DataCategory.Residence || ShelterResidenceFields.Contains(field.Path, StringComparer.Ordinal))],
            },
            new()
            {
                Name = LawEnforcementCaseCoordination,
                RecipientKinds = [PeerKind.LawEnforcement],
                Purposes = [MessagePurposes.CaseCoordination],
                Fields = [.. CoordinationFields(field => field.Category != DataCategory.Residence || residenceToPoliceInCoordination)],
            },
            new()
            {
                Name = Erasure,
                RecipientKinds = [.. AllKinds],
                Purposes = [MessagePurposes.Erasure],
                Fields = [.. new[] { MessageTypes.ConsentWithdrawn, MessageTypes.ErasureConfirmed }.SelectMany(AllFieldsOf).Distinct(StringComparer.Ordinal)],
            },
        ];
    }

    /// <summary>What may leave under VitalInterests by default: never Exploitation, CriminalCase or Residence.</summary>
    public static IReadOnlyList<DataCategory> VitalInterestsCategories { get; } =
    [
        DataCategory.Identity, DataCategory.Contact, DataCategory.Demographic, DataCategory.Health, DataCategory.Child,
        DataCategory.Safety, DataCategory.Logistics, DataCategory.Needs,
    ];

    private static IEnumerable<string> ReferralFields(Func<FieldDefinition, bool> predicate) =>
        FieldCatalogue.For(MessageTypes.ReferralRequest).Where(predicate).Select(field => field.Path);

    private static IEnumerable<string> CoordinationFields(Func<FieldDefinition, bool> predicate) =>
        CoordinationTypes.SelectMany(FieldCatalogue.For).Where(predicate).Select(field => field.Path).Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> AllFieldsOf(string messageType) => FieldCatalogue.For(messageType).Select(field => field.Path);
}
