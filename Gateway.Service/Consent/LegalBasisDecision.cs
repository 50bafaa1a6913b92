using Gateway.Contracts.Messages;

namespace Gateway.Service.Consent;

/// <summary>Whether a message may leave, and which categories about the person its legal basis covers.</summary>
public sealed record LegalBasisDecision
{
    public required IReadOnlySet<DataCategory> Covered { get; init; }

    public string? Code { get; init; }

    public string? Detail { get; init; }

    /// <summary>For LegalObligation: the provision; for VitalInterests: "VitalInterests".</summary>
    public string? Reference { get; init; }

    public bool Allowed => Code is null;

    public static LegalBasisDecision Refuse(string code, string detail) => new() { Covered = new HashSet<DataCategory>(), Code = code, Detail = detail };
}
