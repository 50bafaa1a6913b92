namespace Gateway.Contracts.Messages;

/// <summary>The legal bases a message with data about the person can leave under (DESIGN §6).</summary>
public static class LegalBases
{
    /// <summary>A recorded, valid consent whose scope covers recipient, purpose and categories.</summary>
    public const string Consent = nameof(Consent);

    /// <summary>The person cannot consent and their life or safety is at stake: needs a written justification.</summary>
    public const string VitalInterests = nameof(VitalInterests);

    /// <summary>A law obliges the disclosure to this kind of recipient: named in configuration.</summary>
    public const string LegalObligation = nameof(LegalObligation);

    public static IReadOnlyList<string> All { get; } = [Consent, VitalInterests, LegalObligation];

    public static bool IsKnown(string? basis) => basis is not null && All.Contains(basis, StringComparer.Ordinal);
}
