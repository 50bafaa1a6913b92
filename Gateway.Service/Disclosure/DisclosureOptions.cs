using Gateway.Contracts.Messages;

namespace Gateway.Service.Disclosure;

/// <summary>
/// Configuration section <c>Gateway:Disclosure</c>. Empty lists take <see cref="DisclosureDefaults"/>, so a node
/// runs with the profiles DESIGN §7 describes until its organisation configures its own.
/// </summary>
public sealed class DisclosureOptions
{
    public const string Section = "Gateway:Disclosure";

    public List<DisclosureProfile> Profiles { get; set; } = [];

    /// <summary>
    /// Laws that oblige disclosure. With the built-in profiles, the rule for LawEnforcement that names Residence also
    /// adds the Residence fields to law enforcement's profile for its purposes: nothing else lets Residence reach the police.
    /// </summary>
    public List<LegalObligationRule> LegalObligations { get; set; } = [];

    /// <summary>What may leave under VitalInterests: what keeps the person alive and safe, never criminal-case data.</summary>
    public List<DataCategory> VitalInterestsCategories { get; set; } = [];

    /// <summary>Profiles agreed with a particular peer, by purpose, overriding the profile for its kind: peer id → purpose → profile name.</summary>
    public Dictionary<string, Dictionary<string, string>> Agreements { get; set; } = [];

    /// <summary>Shortest written justification accepted for VitalInterests.</summary>
    public int MinimumJustificationLength { get; set; } = 20;
}
