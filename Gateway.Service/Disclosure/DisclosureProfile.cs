using Gateway.Contracts.Messages;
using Gateway.Contracts.Peering;

namespace Gateway.Service.Disclosure;

/// <summary>
/// An allow-list (DESIGN §7): which fields a kind of recipient gets for a purpose, and which it gets only reduced.
/// A field the profile does not name is never sent; required fields (never about the person) always are.
/// </summary>
public sealed class DisclosureProfile
{
    /// <summary>Travels in the envelope header (<c>disclosureProfile</c>); the receiver holds the sender to it.</summary>
    public string Name { get; set; } = string.Empty;

    public List<PeerKind> RecipientKinds { get; set; } = [];

    public List<string> Purposes { get; set; } = [];

    /// <summary>Catalogue paths sent as they are.</summary>
    public List<string> Fields { get; set; } = [];

    /// <summary>Catalogue paths sent only transformed (e.g. <c>prs_Birthdate</c> → <c>AgeBand</c>).</summary>
    public Dictionary<string, FieldTransform> Transforms { get; set; } = [];
}
