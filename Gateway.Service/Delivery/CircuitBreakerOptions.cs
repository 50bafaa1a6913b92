namespace Gateway.Service.Delivery;

/// <summary>When to stop calling a failing peer for a while: a breaker per peer, so one peer's failures open only its own.</summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Share of failed attempts in the sampling window that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Attempts in the window before the ratio counts.</summary>
    public int MinimumThroughput { get; set; } = 5;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses attempts at once (they are rescheduled, not failed).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
