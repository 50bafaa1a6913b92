using System.Text.Json.Serialization;

namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Body of <c>AnonymousConsultation</c>: a question about a case, without any personal data. Its members are the catalogue paths of <see cref="FieldCatalogue"/>; a test keeps the two equal.</summary>
public sealed record AnonymousConsultationBody
{
    /// <summary><c>Admission</c>, <c>Accommodation</c>, <c>Legal</c>, <c>Health</c>, <c>Repatriation</c>, <c>Identification</c>, <c>InternationalProtection</c>, <c>Residence</c> or <c>Other</c>.</summary>
    public required string Topic { get; init; }

    /// <summary>Free text about a case described without any personal data.</summary>
    public required string Question { get; init; }

    [JsonPropertyName("spl_Type")]
    public IReadOnlyList<string>? SplType { get; init; }

    public DateOnly? ReplyBy { get; init; }
}
