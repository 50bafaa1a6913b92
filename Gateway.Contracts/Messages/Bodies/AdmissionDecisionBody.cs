using System.Text.Json.Serialization;

namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Body of <c>AdmissionDecision</c>: accepted or declined, with a reason code only. Its members are the catalogue paths of <see cref="FieldCatalogue"/>; a test keeps the two equal.</summary>
public sealed record AdmissionDecisionBody
{
    /// <summary><c>Accepted</c> or <c>Declined</c>.</summary>
    public required string Decision { get; init; }

    public string? ReasonCode { get; init; }

    [JsonPropertyName("cas_IncomingReferralDate")]
    public DateOnly? CasIncomingReferralDate { get; init; }
}
