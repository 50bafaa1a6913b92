using System.Text.Json.Serialization;

namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Body of <c>StatusUpdate</c>: status, service categories, next review and a change of residence situation, no clinical detail. Its members are the catalogue paths of <see cref="FieldCatalogue"/>; a test keeps the two equal.</summary>
public sealed record StatusUpdateBody
{
    [JsonPropertyName("cas_Status")]
    public required string CasStatus { get; init; }

    /// <summary>Service categories being provided.</summary>
    [JsonPropertyName("spl_Type")]
    public IReadOnlyList<string>? SplType { get; init; }

    public DateOnly? StatusDate { get; init; }

    public DateOnly? NextReviewDate { get; init; }

    /// <summary>About the person (category Residence): needs a legal basis, unlike the rest of the body.</summary>
    public ResidenceBlock? Residence { get; init; }
}
