using System.Globalization;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Messages;
using Gateway.Service.Consent;

namespace Gateway.Service.Cli.Demo;

/// <summary>
/// The demo's case. Every value is SYNTHETIC: no real person, caseworker or place is described. Codes are the field
/// catalogue's picklist values, so the bodies pass the schema on both nodes.
/// </summary>
internal static class SyntheticCase
{
    public static IReadOnlyList<DataCategory> ConsentedCategories { get; } =
    [
        DataCategory.Identity, DataCategory.Demographic, DataCategory.Contact, DataCategory.Exploitation, DataCategory.Needs,
        DataCategory.Safety, DataCategory.Logistics, DataCategory.Child, DataCategory.Residence,
    ];

    /// <summary>The adult person's own consent to be referred to both recipients for assistance.</summary>
    public static RecordConsentRequest Consent(DateTimeOffset now) => new()
    {
        SubjectRef = "SYNTHETIC-SUBJECT-" + Guid.NewGuid().ToString("N")[..8],
        GivenBy = ConsentGivenBy.Subject,
        SubjectIsMinor = false,
        Scope = new ConsentScope
        {
            Recipients = [.. DemoNodes.Recipients],
            Purposes = [MessagePurposes.Assistance],
            Categories = ConsentedCategories,
        },
        ValidFrom = now,
        ValidUntil = now.AddDays(30),
        EvidenceRef = "SYNTHETIC-FORM-EE-SKA-0001",
    };

    /// <summary>A question about a case with nothing about the person: no dates, phone numbers, e-mail addresses or long numbers.</summary>
    public static JsonElement Consultation() => Serialize(new
    {
        topic = "Admission",
        question = "SYNTHETIC: which documents does your national assistance system need before it admits an adult referred from another state?",
        spl_Type = new[] { "SocialCare", "Legal" },
    });

    public static JsonElement Referral(DateTimeOffset now) => Serialize(new
    {
        prs_FirstName = "SYNTHETIC-Anna Maria",
        prs_SecondName = "SYNTHETIC-Tamm",
        prs_Birthdate = "1999-04-01",
        prs_Gender = "Feminine",
        prs_Citizenship = new[] { "UA" },
        prs_IdentityNumber = "SYNTHETIC-ID-EE-0001",
        prs_PrimaryLanguage = "ukr",
        prs_SecondaryLanguage = "rus",
        interpreterNeeded = true,
        vic_TraffickingStatus = "PossibleVictimOfTrafficking",
        vic_TraffickingStatusDecisionMakingOrg = "Police",
        vic_TypeOfExploitation = new[] { "ForcedLabour" },
        spl_Type = new[] { "SocialCare", "Legal", "Financial" },
        safety = new { riskLevel = "Medium", notes = "SYNTHETIC: do not confirm the person's whereabouts to callers." },
        logistics = new
        {
            kind = "Arrival",
            transport = "Bus",
            departurePlace = "SYNTHETIC departure town",
            arrivalPlace = "SYNTHETIC arrival town",
            expectedArrival = now.AddDays(3).ToString("yyyy-MM-dd'T'10:00:00zzz", CultureInfo.InvariantCulture),
            escortedBy = "Caseworker",
            meetingPoint = "SYNTHETIC: information desk of the bus station",
        },
        residence = new
        {
            internationalProtection = "WishesToApply",
            status = "ReflectionPeriod",
            legalCounsellingNeeded = true,
            reflectionPeriodEnd = Today(now.AddDays(60)),
        },
        cas_ReasonForOutgoingReferral = "MigrationOrChangeOfLocation",
        cas_OutgoingReferralDetails = "SYNTHETIC: needs safe accommodation and legal counselling on arrival.",
        cas_OutgoingReferralDate = Today(now),
        cas_ReferringPrimaryCaseWorker = new
        {
            prs_FirstName = "SYNTHETIC-Kadri",
            prs_SecondName = "SYNTHETIC-Caseworker",
            prs_Title = "Social worker",
            prs_Email = "synthetic.caseworker@ee-ska.example",
            languages = new[] { "est", "eng", "rus" },
        },
    });

    public static JsonElement Acknowledgement(DateTimeOffset now) => Serialize(new
    {
        receivedOn = Today(now),
        partnerCaseReference = "SYNTHETIC-FI-CASE-0001",
        cas_ReferredPrimaryCaseWorker = new
        {
            prs_FirstName = "SYNTHETIC-Mikko",
            prs_SecondName = "SYNTHETIC-Adviser",
            prs_Title = "Senior adviser",
            prs_Email = "synthetic.adviser@fi-nrm.example",
            languages = new[] { "fin", "eng" },
        },
    });

    public static JsonElement Admission(DateTimeOffset now) => Serialize(new
    {
        decision = "Accepted",
        reasonCode = "EligibleForAssistance",
        cas_IncomingReferralDate = Today(now),
    });

    private static string Today(DateTimeOffset now) => now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonElement Serialize(object body) => JsonSerializer.SerializeToElement(body, GatewayJson.Options);
}
