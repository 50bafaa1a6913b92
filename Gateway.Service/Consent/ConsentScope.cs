using Gateway.Contracts.Messages;
using Gateway.Contracts.Peering;

namespace Gateway.Service.Consent;

/// <summary>What the person agreed to: to whom (named peers or kinds of recipient), for what, which categories.</summary>
public sealed record ConsentScope
{
    public IReadOnlyList<string> Recipients { get; init; } = [];

    public IReadOnlyList<PeerKind> RecipientKinds { get; init; } = [];

    public required IReadOnlyList<string> Purposes { get; init; }

    public required IReadOnlyList<DataCategory> Categories { get; init; }
}
