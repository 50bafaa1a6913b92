using System.Text.Json.Nodes;
using Gateway.Service.Disclosure;

namespace Gateway.Service.Referrals;

/// <summary>Exactly what the recipient would receive, and what stays here and why.</summary>
public sealed record ReferralPreview
{
    public required string Recipient { get; init; }

    public required string MessageType { get; init; }

    public required string Purpose { get; init; }

    public string? LegalBasis { get; init; }

    public required string DisclosureProfile { get; init; }

    public required JsonObject Body { get; init; }

    public required IReadOnlyList<string> DisclosedFields { get; init; }

    public required IReadOnlyList<WithheldField> Withheld { get; init; }
}
