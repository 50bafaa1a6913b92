namespace Gateway.Contracts.Messages.Bodies;

/// <summary>What the recipient does with the content of a closed case.</summary>
public sealed record RetentionInstruction
{
    /// <summary><c>EraseContentAfter</c> or <c>KeepPerLocalLaw</c>.</summary>
    public string? Instruction { get; init; }

    public DateOnly? EraseContentBy { get; init; }
}
