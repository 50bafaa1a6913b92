namespace Gateway.Service.Consent;

/// <summary>A consent and the erasure requests sent under it (outstanding until <c>confirmedAt</c> is set).</summary>
public sealed record ConsentView
{
    public required ConsentRecord Consent { get; init; }

    public required IReadOnlyList<ErasureRequest> Erasures { get; init; }
}
