using Gateway.Bench.Machine;

namespace Gateway.Bench.EndToEnd;

/// <summary>One load phase: what was offered, what was accepted and delivered, how fast, and what it cost each process.</summary>
internal sealed record PhaseResult
{
    public required string Name { get; init; }

    /// <summary>Closed loop: this many clients, each submitting the next consultation when its previous one settled.</summary>
    public int? Clients { get; init; }

    /// <summary>Open loop: consultations submitted per second on a fixed schedule, whatever the answers.</summary>
    public int? OfferedPerSecond { get; init; }

    public required double WindowSeconds { get; init; }

    public required int Submitted { get; init; }

    public required int Accepted { get; init; }

    /// <summary>Requests not answered 202, by status and code.</summary>
    public required IReadOnlyDictionary<string, int> Refused { get; init; }

    public required int Delivered { get; init; }

    /// <summary>Accepted messages that ended Failed or Cancelled.</summary>
    public required int FailedDeliveries { get; init; }

    /// <summary>Accepted messages still not settled when the drain time ran out.</summary>
    public required int Undelivered { get; init; }

    /// <summary>How many of the accepted messages the receiver holds (exactly once each, or fewer).</summary>
    public required int AtReceiver { get; init; }

    /// <summary>Delivery attempts beyond the first, over all accepted messages.</summary>
    public required int ExtraAttempts { get; init; }

    public required double AcceptedPerSecond { get; init; }

    /// <summary>Messages whose verified receipt was recorded inside the window, per second of the window.</summary>
    public required double DeliveredPerSecond { get; init; }

    /// <summary>The same in 5-second buckets of the window: sustained means no bucket falls away.</summary>
    public required IReadOnlyList<double> DeliveredPerSecondBy5s { get; init; }

    /// <summary>Accept → verified receipt (delivered_at − created_at in the sender's database), ms.</summary>
    public Percentiles? LatencyMs { get; init; }

    /// <summary>How long the caseworker API took to answer 202, ms (client side).</summary>
    public Percentiles? AcceptLatencyMs { get; init; }

    /// <summary>Open loop: how late the scheduler sent requests (ms); large values mean the load generator itself could not keep up.</summary>
    public Percentiles? SendLagMs { get; init; }

    /// <summary>From the end of the window until every accepted message settled (or the drain limit).</summary>
    public required double DrainSeconds { get; init; }

    /// <summary>Cores used per process role during the window, and the machine's busy cores (2.0 = both cores).</summary>
    public required PhaseUsage Usage { get; init; }

    /// <summary>Peak resident set (VmHWM) of each gateway node at the end of the phase, MiB.</summary>
    public required IReadOnlyDictionary<string, double> NodePeakRssMib { get; init; }

    /// <summary>Cores other processes on the machine kept busy during the window (machine busy − every role of this run).</summary>
    public required double OtherCores { get; init; }

    /// <summary>
    /// CPU ms one delivered message cost the system under test (both nodes, PostgreSQL, RabbitMQ; not the load generator),
    /// and what that allows on this machine's cores if nothing else ran: a ceiling that contention from other work cannot move.
    /// </summary>
    public required double SystemCpuMsPerMessage { get; init; }

    public required double CpuBoundCeilingPerSecond { get; init; }

    /// <summary>CPU milliseconds per delivered message, per role, during the window.</summary>
    public required IReadOnlyDictionary<string, double> CpuMsPerMessage { get; init; }

    /// <summary>Lines each node logged during the phase, per accepted message.</summary>
    public required IReadOnlyDictionary<string, double> LogLinesPerMessage { get; init; }

    public required IReadOnlyList<TimelinePoint> Timeline { get; init; }
}

/// <summary>Once a second during the window: messages accepted so far in the phase, and the sender's outbound counts by state.</summary>
internal sealed record TimelinePoint(double AtSeconds, int Accepted, IReadOnlyDictionary<string, int> OutboundByState);
