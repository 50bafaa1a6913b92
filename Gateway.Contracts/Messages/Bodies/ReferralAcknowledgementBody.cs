using System.Text.Json.Serialization;

namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Body of <c>ReferralAcknowledgement</c>: the partner has the case. Its members are the catalogue paths of <see cref="FieldCatalogue"/>; a test keeps the two equal.</summary>
public sealed record ReferralAcknowledgementBody
{
    public required DateOnly ReceivedOn { get; init; }

    public string? PartnerCaseReference { get; init; }

    [JsonPropertyName("cas_ReferredPrimaryCaseWorker")]
    public CaseWorkerContact? CasReferredPrimaryCaseWorker { get; init; }

    public CaseWorkerContact? AlternateCaseWorker { get; init; }
}
