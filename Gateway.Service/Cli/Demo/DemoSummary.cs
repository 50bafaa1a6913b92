namespace Gateway.Service.Cli.Demo;

/// <summary>demo-summary.json: every message, the consent and its erasures, what each recipient got of the residence block, the 410 checks, the read audit and subject report, and which checks failed.</summary>
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

    /// <summary>The case's read audit on EE-SKA: who read which content when (no values).</summary>
    public required IReadOnlyList<DemoRead> ReadAudit { get; init; }

    /// <summary>The subject report on EE-SKA: each disclosure by field names, its legal basis, its erasure confirmation.</summary>
    public required IReadOnlyList<DemoDisclosure> SubjectReport { get; init; }

    public required IReadOnlyList<string> FailedChecks { get; init; }

    public bool Passed => FailedChecks.Count == 0;
}
