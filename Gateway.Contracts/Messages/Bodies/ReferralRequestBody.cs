using System.Text.Json.Serialization;

namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Body of <c>ReferralRequest</c>: the referral of a person to a partner's assistance, as the disclosure profile allows. Its members are the catalogue paths of <see cref="FieldCatalogue"/>; a test keeps the two equal.</summary>
public sealed record ReferralRequestBody
{
    [JsonPropertyName("prs_FirstName")]
    public string? PrsFirstName { get; init; }

    [JsonPropertyName("prs_MiddleName")]
    public string? PrsMiddleName { get; init; }

    /// <summary>Surname.</summary>
    [JsonPropertyName("prs_SecondName")]
    public string? PrsSecondName { get; init; }

    [JsonPropertyName("prs_Birthdate")]
    public DateOnly? PrsBirthdate { get; init; }

    [JsonPropertyName("prs_IdentityNumber")]
    public string? PrsIdentityNumber { get; init; }

    /// <summary>Sent instead of <see cref="PrsBirthdate"/> where the disclosure profile asks.</summary>
    [JsonPropertyName("prs_AgeBand")]
    public string? PrsAgeBand { get; init; }

    [JsonPropertyName("prs_Gender")]
    public string? PrsGender { get; init; }

    /// <summary>ISO 3166-1 alpha-2 codes.</summary>
    [JsonPropertyName("prs_Citizenship")]
    public IReadOnlyList<string>? PrsCitizenship { get; init; }

    /// <summary>ISO 639-2 code.</summary>
    [JsonPropertyName("prs_PrimaryLanguage")]
    public string? PrsPrimaryLanguage { get; init; }

    /// <summary>ISO 639-2 code.</summary>
    [JsonPropertyName("prs_SecondaryLanguage")]
    public string? PrsSecondaryLanguage { get; init; }

    public bool? InterpreterNeeded { get; init; }

    [JsonPropertyName("prs_MobilePhone")]
    public string? PrsMobilePhone { get; init; }

    [JsonPropertyName("prs_Email")]
    public string? PrsEmail { get; init; }

    [JsonPropertyName("vic_TraffickingStatus")]
    public string? VicTraffickingStatus { get; init; }

    [JsonPropertyName("vic_TraffickingStatusDecisionMakingOrg")]
    public string? VicTraffickingStatusDecisionMakingOrg { get; init; }

    [JsonPropertyName("vic_TypeOfExploitation")]
    public IReadOnlyList<string>? VicTypeOfExploitation { get; init; }

    public HealthBlock? Health { get; init; }

    public CriminalCaseBlock? CriminalCase { get; init; }

    public ChildBlock? Child { get; init; }

    public SafetyBlock? Safety { get; init; }

    public LogisticsBlock? Logistics { get; init; }

    public ResidenceBlock? Residence { get; init; }

    /// <summary>Kinds of support needed.</summary>
    [JsonPropertyName("spl_Type")]
    public IReadOnlyList<string>? SplType { get; init; }

    [JsonPropertyName("cas_ReasonForOutgoingReferral")]
    public string? CasReasonForOutgoingReferral { get; init; }

    [JsonPropertyName("cas_OutgoingReferralDetails")]
    public string? CasOutgoingReferralDetails { get; init; }

    [JsonPropertyName("cas_OutgoingReferralDate")]
    public required DateOnly CasOutgoingReferralDate { get; init; }

    [JsonPropertyName("cas_ReferringPrimaryCaseWorker")]
    public CaseWorkerContact? CasReferringPrimaryCaseWorker { get; init; }
}
