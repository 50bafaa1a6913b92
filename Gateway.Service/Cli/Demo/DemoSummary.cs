namespace Gateway.Service.Cli.Demo;

/// <summary>demo-summary.json: every message, the consent and its erasures, what each recipient got of the residence block, the 410 checks, and which checks failed.</summary>
internal sealed record DemoSummary
{
    public required string Storage { get; init; }

    public required string Transport { get; init; }

    public required IReadOnlyList<DemoMessage> Messages { get; init; }

    public DemoConsent? Consent { get; init; }

    /// <summary>Per recipient of the referral: the residence fields it received and those its profile withheld.</summary>
    public required IReadOnlyList<DemoResidence> Residence { get; init; }

    /// <summary>Per recipient: its inbox answered 410 Gone for the referral once erasure was confirmed.</summary>
    public required IReadOnlyDictionary<string, bool> ErasureVerified { get; init; }

    public required IReadOnlyList<string> FailedChecks { get; init; }

    public bool Passed => FailedChecks.Count == 0;
}
