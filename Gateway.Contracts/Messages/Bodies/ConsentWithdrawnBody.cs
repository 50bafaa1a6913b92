namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Body of <c>ConsentWithdrawn</c>: erase what was received in this conversation (the header's) and confirm. Its members are the catalogue paths of <see cref="FieldCatalogue"/>; a test keeps the two equal.</summary>
public sealed record ConsentWithdrawnBody
{
    public string? WithdrawnConsentRef { get; init; }

    /// <summary><c>Subject</c>, <c>Guardian</c> or <c>Representative</c>.</summary>
    public string? WithdrawnBy { get; init; }

    public required DateTimeOffset WithdrawnAt { get; init; }

    public required bool ErasureRequested { get; init; }

    public DateOnly? ConfirmBy { get; init; }
}
