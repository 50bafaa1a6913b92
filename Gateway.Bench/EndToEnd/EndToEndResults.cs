using Gateway.Bench.Machine;

namespace Gateway.Bench.EndToEnd;

/// <summary>Everything one <c>e2e</c> run measured, as written to <c>docs/benchmarks/e2e-*.json</c>.</summary>
internal sealed record EndToEndResults
{
    public required DateTimeOffset StartedAt { get; init; }

    public required MachineInfo Machine { get; init; }

    public required string LoadAverageAtEnd { get; init; }

    public required string Gateway { get; init; }

    public required string Broker { get; init; }

    public required string Database { get; init; }

    /// <summary>Settings given to both nodes beyond the deployed defaults (none for a run of the defaults).</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    public required int EnvelopeBytes { get; init; }

    /// <summary>The closed-loop warm-up before anything is measured: shown, not counted.</summary>
    public required PhaseResult WarmUp { get; init; }

    public required IReadOnlyList<PhaseResult> Phases { get; init; }

    /// <summary>Every second of the run: cores and resident MiB per process role.</summary>
    public required IReadOnlyList<SamplePoint> Samples { get; init; }
}
