using System.Collections.Frozen;
using Gateway.Contracts.Envelopes;

namespace Gateway.Contracts.Messages;

/// <summary>
/// Every field of every message type, with its data category and sensitivity (DESIGN §5): the one place the
/// consent gate, the minimiser, the receiving node's profile check and the JSON Schemas read. A field that is
/// not here cannot be sent. Names are HTCDS v2.0's where one fits; required fields are never about the person,
/// so minimisation can never remove them.
/// </summary>
public static class FieldCatalogue
{
    private const Sensitivity Id = Sensitivity.Identifying;
    private const Sensitivity Art9 = Sensitivity.SpecialCategory;
    private const Sensitivity Art10 = Sensitivity.CriminalOffence;
    private const Sensitivity Free = Sensitivity.FreeText;
    private const Sensitivity Migration = Sensitivity.MigrationStatus;

    public static IReadOnlyList<string> AgeBands { get; } = ["0-5", "6-11", "12-15", "16-17", "18-24", "25-34", "35-49", "50-64", "65+"];

    private static readonly string[] SupportTypes =
        ["Education", "Financial", "Health", "LabourExploitationRehabilitation", "Legal", "Livelihood", "RightsBasedTraining", "SexualExploitationRehabilitation", "SocialCare"];

    private static readonly string[] InternationalProtection = ["NotNeeded", "Needed", "WishesToApply", "Applied", "Granted", "Refused"];

    private static readonly string[] ResidenceStatuses =
        ["Citizen", "EuCitizen", "ResidencePermit", "VictimPermitApplied", "VictimPermitGranted", "ReflectionPeriod", "NoStatus", "Unknown"];

    private static readonly FrozenDictionary<string, IReadOnlyList<FieldDefinition>> ByType = new Dictionary<string, IReadOnlyList<FieldDefinition>>
    {
        [MessageTypes.AnonymousConsultation] =
        [
            Code("topic", DataCategory.Administrative, "What the consultation is about.", ["Admission", "Accommodation", "Legal", "Health", "Repatriation", "Identification", "InternationalProtection", "Residence", "Other"], required: true),
            Text("question", DataCategory.Administrative, Free, "The question, about a case described without any personal data.", maxLength: 4000, required: true),
            Codes("spl_Type", DataCategory.Administrative, "Kinds of support the question is about.", SupportTypes, htcds: true),
            Field("replyBy", FieldKind.Date, DataCategory.Administrative, Sensitivity.None, "Answer wanted by this date."),
        ],
        [MessageTypes.ReferralRequest] =
        [
            Text("prs_FirstName", DataCategory.Identity, Id, "Given name(s).", htcds: true),
            Text("prs_MiddleName", DataCategory.Identity, Id, "Middle name(s).", htcds: true),
            Text("prs_SecondName", DataCategory.Identity, Id, "Surname.", htcds: true),
            Field("prs_Birthdate", FieldKind.Date, DataCategory.Identity, Id, "Date of birth.", htcds: true),
            Text("prs_IdentityNumber", DataCategory.Identity, Id, "National identity or document number.", htcds: true),
            Code("prs_AgeBand", DataCategory.Demographic, "Age band, sent instead of the birth date where the profile asks.", AgeBands),
            Code("prs_Gender", DataCategory.Demographic, "Gender.", ["Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine", "NonConforming", "NonSpecifiedUnknown"], htcds: true),
            List("prs_Citizenship", DataCategory.Demographic, "Citizenships, ISO 3166-1 alpha-2.", htcds: true),
            Text("prs_PrimaryLanguage", DataCategory.Demographic, Sensitivity.None, "Primary language, ISO 639-2.", htcds: true),
            Text("prs_SecondaryLanguage", DataCategory.Demographic, Sensitivity.None, "Secondary language, ISO 639-2.", htcds: true),
            Field("interpreterNeeded", FieldKind.Boolean, DataCategory.Demographic, Sensitivity.None, "An interpreter is needed."),
            Text("prs_MobilePhone", DataCategory.Contact, Id, "The person's own mobile phone.", htcds: true),
            Text("prs_Email", DataCategory.Contact, Id, "The person's own e-mail address.", htcds: true),
            Code("vic_TraffickingStatus", DataCategory.Exploitation, "Trafficking status.", ["PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"], htcds: true),
            Code("vic_TraffickingStatusDecisionMakingOrg", DataCategory.Exploitation, "Who decided the trafficking status.", ["Police", "NGO", "CourtOrProsecution", "NonPoliceGovernmentalOrganization", "Other"], htcds: true),
            Codes("vic_TypeOfExploitation", DataCategory.Exploitation, "Types of exploitation.", ["ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude", "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption", "Surrogacy", "Other"], htcds: true, sensitivity: Art9),
            Field("health.urgentMedicalNeed", FieldKind.Boolean, DataCategory.Health, Art9, "Needs medical care on arrival."),
            Text("health.clinicalNotes", DataCategory.Health, Art9 | Free, "Clinical detail, for a partner that provides care.", maxLength: 2000),
            Field("criminalCase.proceedingsInitiated", FieldKind.Boolean, DataCategory.CriminalCase, Art10, "Criminal proceedings have been initiated."),
            Text("criminalCase.investigatingAuthority", DataCategory.CriminalCase, Art10, "The authority that investigates."),
            Text("criminalCase.caseReference", DataCategory.CriminalCase, Art10 | Id, "The criminal case's reference."),
            Code("criminalCase.witnessStatus", DataCategory.CriminalCase, "The person's role in the proceedings.", ["None", "Witness", "InjuredParty"], sensitivity: Art10),
            Field("child.minor", FieldKind.Boolean, DataCategory.Child, Sensitivity.None, "The person is under 18."),
            Code("child.guardian.relationship", DataCategory.Child, "The guardian's relationship to the child.", ["Parent", "AppointedGuardian", "LegalRepresentative"]),
            Text("child.guardian.prs_FirstName", DataCategory.Child, Id, "Guardian's given name.", htcds: true),
            Text("child.guardian.prs_SecondName", DataCategory.Child, Id, "Guardian's surname.", htcds: true),
            Text("child.guardian.prs_MobilePhone", DataCategory.Child, Id, "Guardian's phone.", htcds: true),
            Text("child.guardian.prs_Email", DataCategory.Child, Id, "Guardian's e-mail.", htcds: true),
            Text("child.guardian.org_Name", DataCategory.Child, Sensitivity.None, "The guardian's organisation, for an appointed guardian.", htcds: true),
            Field("child.guardianConsent", FieldKind.Boolean, DataCategory.Child, Sensitivity.None, "The guardian consented to the referral."),
            Field("child.childHeard", FieldKind.Boolean, DataCategory.Child, Sensitivity.None, "The child was heard about the referral."),
            Code("safety.riskLevel", DataCategory.Safety, "Assessed risk to the person.", ["Low", "Medium", "High"]),
            Text("safety.notes", DataCategory.Safety, Free, "Safety instructions for the receiving staff.", maxLength: 2000),
            Code("logistics.kind", DataCategory.Logistics, "Arrival in the partner's state or return from it.", ["Arrival", "Return"]),
            Code("logistics.transport", DataCategory.Logistics, "Means of transport.", ["Air", "Ferry", "Bus", "Train", "Car", "Other"]),
            Text("logistics.departurePlace", DataCategory.Logistics, Sensitivity.None, "Where the journey starts."),
            Text("logistics.arrivalPlace", DataCategory.Logistics, Sensitivity.None, "Where the journey ends."),
            Field("logistics.expectedArrival", FieldKind.DateTime, DataCategory.Logistics, Sensitivity.None, "Expected arrival."),
            Code("logistics.escortedBy", DataCategory.Logistics, "Who travels with the person.", ["Guardian", "Caseworker", "Police", "Interpreter", "None"]),
            Text("logistics.meetingPoint", DataCategory.Logistics, Free, "Where the person is met.", maxLength: 500),
            .. Residence("in the sending state"),
            Codes("spl_Type", DataCategory.Needs, "Kinds of support needed.", SupportTypes, htcds: true),
            Code("cas_ReasonForOutgoingReferral", DataCategory.Needs, "Why the person is referred.", ["AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other"], htcds: true),
            Text("cas_OutgoingReferralDetails", DataCategory.Needs, Free, "What the receiving staff need to know to help.", maxLength: 2000, htcds: true),
            Field("cas_OutgoingReferralDate", FieldKind.Date, DataCategory.Administrative, Sensitivity.None, "Date of the referral.", required: true, htcds: true),
            .. CaseWorker("cas_ReferringPrimaryCaseWorker", "The referring caseworker", htcds: true),
        ],
        [MessageTypes.ReferralAcknowledgement] =
        [
            Field("receivedOn", FieldKind.Date, DataCategory.Administrative, Sensitivity.None, "When the partner took the case.", required: true),
            Text("partnerCaseReference", DataCategory.Administrative, Sensitivity.None, "The partner's own case reference."),
            .. CaseWorker("cas_ReferredPrimaryCaseWorker", "The partner's caseworker", htcds: true),
            .. CaseWorker("alternateCaseWorker", "An alternate caseworker", htcds: false),
        ],
        [MessageTypes.AdmissionDecision] =
        [
            Code("decision", DataCategory.Administrative, "Accepted or declined.", ["Accepted", "Declined"], required: true),
            Code("reasonCode", DataCategory.Administrative, "Why, as a code: never a narrative.", ["EligibleForAssistance", "NoCapacity", "NotEligible", "OutsideMandate", "PersonDeclined", "Other"]),
            Field("cas_IncomingReferralDate", FieldKind.Date, DataCategory.Administrative, Sensitivity.None, "Date the referral was registered.", htcds: true),
        ],
        [MessageTypes.StatusUpdate] =
        [
            Code("cas_Status", DataCategory.Administrative, "Case status.", ["Active", "FollowUp", "Closed", "ClosedReferred"], required: true, htcds: true),
            Codes("spl_Type", DataCategory.Administrative, "Service categories being provided.", SupportTypes, htcds: true),
            Field("statusDate", FieldKind.Date, DataCategory.Administrative, Sensitivity.None, "Date of this status."),
            Field("nextReviewDate", FieldKind.Date, DataCategory.Administrative, Sensitivity.None, "Next review."),
            .. Residence("in the sending state, as of statusDate"),
        ],
        [MessageTypes.ConsentWithdrawn] =
        [
            Text("withdrawnConsentRef", DataCategory.Administrative, Sensitivity.None, "The sender's id of the withdrawn consent."),
            Code("withdrawnBy", DataCategory.Administrative, "Who withdrew it.", ["Subject", "Guardian", "Representative"]),
            Field("withdrawnAt", FieldKind.DateTime, DataCategory.Administrative, Sensitivity.None, "When.", required: true),
            Field("erasureRequested", FieldKind.Boolean, DataCategory.Administrative, Sensitivity.None, "Erase what you received in this conversation and confirm.", required: true),
            Field("confirmBy", FieldKind.Date, DataCategory.Administrative, Sensitivity.None, "Confirm erasure by this date."),
        ],
        [MessageTypes.ErasureConfirmed] =
        [
            Field("erasedAt", FieldKind.DateTime, DataCategory.Administrative, Sensitivity.None, "When the content was erased.", required: true),
            Field("erasedMessageCount", FieldKind.Integer, DataCategory.Administrative, Sensitivity.None, "How many messages' content was erased."),
            Codes("retained", DataCategory.Administrative, "What is kept.", ["Metadata", "AuditLog"]),
        ],
        [MessageTypes.CaseClosed] =
        [
            Code("cas_Status", DataCategory.Administrative, "Final status.", ["Closed", "ClosedReferred"], htcds: true),
            Code("cas_ReasonForCaseClosure", DataCategory.Administrative, "Why the case closed, as a code.", ["AssistanceCompleted", "PersonDeclinedFurtherAssistance", "ReferredElsewhere", "LostContact", "Returned", "Other"], required: true, htcds: true),
            Field("closedOn", FieldKind.Date, DataCategory.Administrative, Sensitivity.None, "Closure date.", required: true),
            Code("retention.instruction", DataCategory.Administrative, "What to do with the content received.", ["EraseContentAfter", "KeepPerLocalLaw"]),
            Field("retention.eraseContentBy", FieldKind.Date, DataCategory.Administrative, Sensitivity.None, "Erase the content by this date."),
        ],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, FrozenDictionary<string, FieldDefinition>> ByPath =
        ByType.ToFrozenDictionary(pair => pair.Key, pair => pair.Value.ToFrozenDictionary(field => field.Path, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>The fields of <paramref name="messageType"/> in catalogue order; empty for an unknown type.</summary>
    public static IReadOnlyList<FieldDefinition> For(string messageType) => ByType.TryGetValue(messageType, out var fields) ? fields : [];

    public static FieldDefinition? Find(string messageType, string path) =>
        ByPath.TryGetValue(messageType, out var fields) && fields.TryGetValue(path, out var field) ? field : null;

    private static FieldDefinition Field(string path, FieldKind kind, DataCategory category, Sensitivity sensitivity, string description, bool required = false, bool htcds = false) =>
        new() { Path = path, Kind = kind, Category = category, Sensitivity = sensitivity, Description = description, Required = required, Htcds = htcds };

    private static FieldDefinition Text(string path, DataCategory category, Sensitivity sensitivity, string description, int maxLength = 200, bool required = false, bool htcds = false) =>
        Field(path, FieldKind.Text, category, sensitivity, description, required, htcds) with { MaxLength = maxLength };

    private static FieldDefinition List(string path, DataCategory category, string description, bool htcds = false) =>
        Field(path, FieldKind.TextList, category, Sensitivity.None, description, htcds: htcds) with { MaxLength = 16 };

    private static FieldDefinition Code(string path, DataCategory category, string description, IReadOnlyList<string> values, bool required = false, bool htcds = false, Sensitivity sensitivity = Sensitivity.None) =>
        Field(path, FieldKind.Code, category, sensitivity, description, required, htcds) with { Values = values };

    private static FieldDefinition Codes(string path, DataCategory category, string description, IReadOnlyList<string> values, bool htcds = false, Sensitivity sensitivity = Sensitivity.None) =>
        Field(path, FieldKind.CodeList, category, sensitivity, description, htcds: htcds) with { Values = values };

    /// <summary>
    /// The residence block: the same paths in a referral and in a status update, so profiles and consents treat both
    /// alike. The sending state is that of the node that sends the message.
    /// </summary>
    private static FieldDefinition[] Residence(string when) =>
    [
        Code("residence.internationalProtection", DataCategory.Residence, "International protection: needed, wished for, applied for, or decided.", InternationalProtection, sensitivity: Migration),
        Field("residence.internationalProtectionState", FieldKind.CountryCode, DataCategory.Residence, Migration, "The state where international protection was applied for, granted or refused, ISO 3166-1 alpha-2."),
        Code("residence.status", DataCategory.Residence, $"Residence status {when}.", ResidenceStatuses, sensitivity: Migration),
        Field("residence.reflectionPeriodEnd", FieldKind.Date, DataCategory.Residence, Migration, "Last day of the reflection period (Directive 2004/81/EC), for a person in one."),
        Field("residence.legalCounsellingNeeded", FieldKind.Boolean, DataCategory.Residence, Migration, "The person needs legal counselling on residence or international protection."),
    ];

    private static FieldDefinition[] CaseWorker(string prefix, string who, bool htcds) =>
    [
        Text($"{prefix}.prs_FirstName", DataCategory.Professional, Sensitivity.None, $"{who}: given name.", htcds: htcds),
        Text($"{prefix}.prs_SecondName", DataCategory.Professional, Sensitivity.None, $"{who}: surname.", htcds: htcds),
        Text($"{prefix}.prs_Title", DataCategory.Professional, Sensitivity.None, $"{who}: job title.", htcds: htcds),
        Text($"{prefix}.prs_MobilePhone", DataCategory.Professional, Sensitivity.None, $"{who}: work phone.", htcds: htcds),
        Text($"{prefix}.prs_Email", DataCategory.Professional, Sensitivity.None, $"{who}: work e-mail.", htcds: htcds),
        List($"{prefix}.languages", DataCategory.Professional, $"{who}: languages spoken, ISO 639-2."),
    ];
}
