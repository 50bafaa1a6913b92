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
    public const string Erasure = "erasure";

    private static readonly PeerKind[] AllKinds = [PeerKind.ContactPoint, PeerKind.Ngo, PeerKind.LawEnforcement];

    public static IReadOnlyList<DisclosureProfile> Profiles() =>
    [
        new()
        {
            // A foreign contact point: the full referral minus criminal-case and clinical detail.
            Name = ContactPoint,
            RecipientKinds = [PeerKind.ContactPoint],
            Purposes = [MessagePurposes.Assistance],
            Fields = [.. ReferralFields(field => field.Category is not (DataCategory.CriminalCase or DataCategory.Health))],
        },
        new()
        {
            // A shelter: whom to expect, when, how to keep them safe, what they need, and for a child who the guardian
            // is. Nothing that identifies them to a third party, no health, exploitation or criminal-case data.
            Name = NgoShelter,
            RecipientKinds = [PeerKind.Ngo],
            Purposes = [MessagePurposes.Assistance],
            Fields =
            [
                "prs_AgeBand", "prs_Gender", "prs_PrimaryLanguage", "prs_SecondaryLanguage", "interpreterNeeded",
                .. ReferralFields(field => field.Category is DataCategory.Safety or DataCategory.Logistics or DataCategory.Professional or DataCategory.Child),
                "spl_Type", "cas_ReasonForOutgoingReferral", "cas_OutgoingReferralDetails", "cas_OutgoingReferralDate",
            ],
            Transforms = new() { ["prs_FirstName"] = FieldTransform.FirstNameOnly, ["prs_Birthdate"] = FieldTransform.AgeBand },
        },
        new()
        {
            // Law enforcement: criminal-case fields, only under its own legal basis (a LegalObligation rule or consent).
            Name = LawEnforcement,
            RecipientKinds = [PeerKind.LawEnforcement],
            Purposes = [MessagePurposes.CriminalProceedings],
            Fields = [.. ReferralFields(field => field.Category is DataCategory.Identity or DataCategory.Demographic or DataCategory.Exploitation
                or DataCategory.CriminalCase or DataCategory.Professional or DataCategory.Administrative)],
        },
        new() { Name = Consultation, RecipientKinds = [.. AllKinds], Purposes = [MessagePurposes.Consultation], Fields = [.. AllFieldsOf(MessageTypes.AnonymousConsultation)] },
        new()
        {
            Name = CaseCoordination,
            RecipientKinds = [.. AllKinds],
            Purposes = [MessagePurposes.CaseCoordination],
            Fields = [.. new[] { MessageTypes.ReferralAcknowledgement, MessageTypes.AdmissionDecision, MessageTypes.StatusUpdate, MessageTypes.CaseClosed }
                .SelectMany(AllFieldsOf).Distinct(StringComparer.Ordinal)],
        },
        new()
        {
            Name = Erasure,
            RecipientKinds = [.. AllKinds],
            Purposes = [MessagePurposes.Erasure],
            Fields = [.. new[] { MessageTypes.ConsentWithdrawn, MessageTypes.ErasureConfirmed }.SelectMany(AllFieldsOf).Distinct(StringComparer.Ordinal)],
        },
    ];

    /// <summary>What may leave under VitalInterests by default.</summary>
    public static IReadOnlyList<DataCategory> VitalInterestsCategories { get; } =
    [
        DataCategory.Identity, DataCategory.Contact, DataCategory.Demographic, DataCategory.Health, DataCategory.Child,
        DataCategory.Safety, DataCategory.Logistics, DataCategory.Needs,
    ];

    private static IEnumerable<string> ReferralFields(Func<FieldDefinition, bool> predicate) =>
        FieldCatalogue.For(MessageTypes.ReferralRequest).Where(predicate).Select(field => field.Path);

    private static IEnumerable<string> AllFieldsOf(string messageType) => FieldCatalogue.For(messageType).Select(field => field.Path);
}
