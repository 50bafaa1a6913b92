namespace Gateway.Contracts.Peering;

/// <summary>One node's <c>peers.json</c>: who it is and every partner it exchanges envelopes with (DESIGN §2).</summary>
public sealed record PeerRegistryDocument
{
    public required SelfDocument Self { get; init; }

    public required IReadOnlyList<PeerDocument> Peers { get; init; }
}
