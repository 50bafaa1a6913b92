namespace Gateway.Contracts.Peering;

/// <summary>This node's own identity and listeners.</summary>
public sealed record SelfDocument
{
    public required string Id { get; init; }

    public required string Country { get; init; }

    /// <summary>Port of the mutual-TLS listener that partners reach (<c>/peer/v1/*</c>).</summary>
    public required int PeerPort { get; init; }

    /// <summary>Port of the internal listener (<c>/api</c>, <c>/ops</c>, <c>/health</c>).</summary>
    public required int InternalPort { get; init; }

    /// <summary>What kind of node this is; decides which disclosure profile it holds senders to. Absent: ContactPoint.</summary>
    public PeerKind? Kind { get; init; }
}
