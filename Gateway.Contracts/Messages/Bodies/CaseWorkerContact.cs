using System.Text.Json.Serialization;

namespace Gateway.Contracts.Messages.Bodies;

/// <summary>A caseworker and how to reach them at work (an HTCDS lookup to a person, sent as the person).</summary>
public sealed record CaseWorkerContact
{
    [JsonPropertyName("prs_FirstName")]
    public string? PrsFirstName { get; init; }

    [JsonPropertyName("prs_SecondName")]
    public string? PrsSecondName { get; init; }

    [JsonPropertyName("prs_Title")]
    public string? PrsTitle { get; init; }

    [JsonPropertyName("prs_MobilePhone")]
    public string? PrsMobilePhone { get; init; }

    [JsonPropertyName("prs_Email")]
    public string? PrsEmail { get; init; }

    /// <summary>ISO 639-2 codes.</summary>
    public IReadOnlyList<string>? Languages { get; init; }
}
