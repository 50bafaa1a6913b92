using System.Text.Json.Serialization;

namespace Gateway.Contracts.Messages.Bodies;

/// <summary>A child's guardian and how to reach them.</summary>
public sealed record GuardianBlock
{
    /// <summary><c>Parent</c>, <c>AppointedGuardian</c> or <c>LegalRepresentative</c>.</summary>
    public string? Relationship { get; init; }

    [JsonPropertyName("prs_FirstName")]
    public string? PrsFirstName { get; init; }

    [JsonPropertyName("prs_SecondName")]
    public string? PrsSecondName { get; init; }

    [JsonPropertyName("prs_MobilePhone")]
    public string? PrsMobilePhone { get; init; }

    [JsonPropertyName("prs_Email")]
    public string? PrsEmail { get; init; }

    /// <summary>The guardian's organisation, for an appointed guardian.</summary>
    [JsonPropertyName("org_Name")]
    public string? OrgName { get; init; }
}
