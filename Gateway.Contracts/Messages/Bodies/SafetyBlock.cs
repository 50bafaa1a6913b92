namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Assessed risk and safety instructions for the receiving staff.</summary>
public sealed record SafetyBlock
{
    /// <summary><c>Low</c>, <c>Medium</c> or <c>High</c>.</summary>
    public string? RiskLevel { get; init; }

    public string? Notes { get; init; }
}
