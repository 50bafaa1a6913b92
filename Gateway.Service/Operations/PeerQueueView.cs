using Gateway.Service.Telemetry;

namespace Gateway.Service.Operations;

/// <summary>One registered peer as operators see it.</summary>
public sealed record PeerQueueView
{
    public required string PeerId { get; init; }

    public required string DisplayName { get; init; }

    public required string Kind { get; init; }

    public required bool Suspended { get; init; }

    public required PeerQueueSummary Queue { get; init; }
}
