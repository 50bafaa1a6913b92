namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Criminal-case data of a referral (GDPR Art. 10): only under law enforcement's own legal basis.</summary>
public sealed record CriminalCaseBlock
{
    public bool? ProceedingsInitiated { get; init; }

    public string? InvestigatingAuthority { get; init; }

    public string? CaseReference { get; init; }

    /// <summary><c>None</c>, <c>Witness</c> or <c>InjuredParty</c>.</summary>
    public string? WitnessStatus { get; init; }
}
