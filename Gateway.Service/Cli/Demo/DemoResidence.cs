namespace Gateway.Service.Cli.Demo;

/// <summary>What one recipient of the referral got of the Residence block, and what its profile held back: names only.</summary>
internal sealed record DemoResidence
{
    public required string Recipient { get; init; }

    public required string DisclosureProfile { get; init; }

    /// <summary>The residence fields the recipient received, as its sender recorded them after delivery.</summary>
    public required IReadOnlyList<string> Received { get; init; }

    /// <summary>The residence fields the preview said would not leave for this recipient.</summary>
    public required IReadOnlyList<string> Withheld { get; init; }
}
