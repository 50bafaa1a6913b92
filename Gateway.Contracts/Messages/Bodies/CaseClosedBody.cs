using System.Text.Json.Serialization;

namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Body of <c>CaseClosed</c>: reason code, date and what to do with the content received. Its members are the catalogue paths of <see cref="FieldCatalogue"/>; a test keeps the two equal.</summary>
public sealed record CaseClosedBody
{
    [JsonPropertyName("cas_Status")]
    public string? CasStatus { get; init; }

    [JsonPropertyName("cas_ReasonForCaseClosure")]
    public required string CasReasonForCaseClosure { get; init; }

    public required DateOnly ClosedOn { get; init; }

    public RetentionInstruction? Retention { get; init; }
}
