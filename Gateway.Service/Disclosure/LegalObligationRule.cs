using Gateway.Contracts.Messages;
using Gateway.Contracts.Peering;

namespace Gateway.Service.Disclosure;

/// <summary>A law that obliges disclosure to a kind of recipient for a purpose, and of which categories (DESIGN §6).</summary>
public sealed class LegalObligationRule
{
    public PeerKind RecipientKind { get; set; }

    public List<string> Purposes { get; set; } = [];

    public List<DataCategory> Categories { get; set; } = [];

    /// <summary>The provision, e.g. "Victim Support Act §3"; shown in the audit log and to operators.</summary>
    public string Reference { get; set; } = string.Empty;
}
