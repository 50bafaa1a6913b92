namespace Gateway.Service.Telemetry;

/// <summary>One peer's share of the delivery queue, for operators.</summary>
public sealed record PeerQueueSummary
{
    public required string PeerId { get; init; }

    public int Queued { get; init; }

    public int InFlight { get; init; }

    public int RetryWaiting { get; init; }

    public int Failed { get; init; }

    public int Suspended { get; init; }

    public int DeliveredLastDay { get; init; }

    public DateTimeOffset? OldestUndeliveredAt { get; init; }

    public DateTimeOffset? LastDeliveredAt { get; init; }
}
