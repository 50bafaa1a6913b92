namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Health data of a referral (GDPR Art. 9): only for a partner that provides care.</summary>
public sealed record HealthBlock
{
    public bool? UrgentMedicalNeed { get; init; }

    public string? ClinicalNotes { get; init; }
}
