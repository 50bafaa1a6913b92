namespace Gateway.Service.Cli.Demo;

/// <summary>One disclosure of the demo's subject report: to whom, which message type and field names, on which basis, and when the partner confirmed erasure.</summary>
internal sealed record DemoDisclosure
{
    public required string Recipient { get; init; }

    public required string MessageType { get; init; }

    public string? LegalBasis { get; init; }

    public required IReadOnlyList<string> DisclosedFields { get; init; }

    public DateTimeOffset? ErasureConfirmedAt { get; init; }
}
