namespace Gateway.Contracts.Messages.Bodies;

/// <summary>The child block of a referral: for a minor, the guardian, the guardian's consent and that the child was heard.</summary>
public sealed record ChildBlock
{
    public bool? Minor { get; init; }

    public GuardianBlock? Guardian { get; init; }

    public bool? GuardianConsent { get; init; }

    public bool? ChildHeard { get; init; }
}
