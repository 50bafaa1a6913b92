using System.Diagnostics;
using Gateway.Bench.Machine;

namespace Gateway.Bench.Crypto;

/// <summary>
/// Operations per second of one action on one thread, after a short warm-up (JIT, caches), for a fixed time. Timed by
/// the wall clock and by this process's CPU time (all threads, so GC work counts): <c>openssl speed</c> also counts
/// CPU time, and on a shared 2-core machine CPU time is what stays comparable when other work competes.
/// </summary>
internal static class Throughput
{
    /// <summary>
    /// Measures again (up to three times, pausing between) while other processes kept more than half a core busy, and
    /// keeps the measurement with the least such contention: this machine is shared with other people's builds.
    /// </summary>
    public static Measurement MeasureQuietly(Action action, TimeSpan duration, CancellationToken cancellationToken)
    {
        Measurement? best = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var measurement = Measure(action, duration, cancellationToken) with { Attempts = attempt };
            if (best is null || measurement.OtherCpuCores < best.OtherCpuCores)
            {
                best = measurement;
            }

            if (measurement.OtherCpuCores <= 0.5 || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            Thread.Sleep(TimeSpan.FromSeconds(3));
        }

        return best!;
    }

    public static void WarmUp(Action action, TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            action();
        }
    }

    public static Measurement Measure(Action action, TimeSpan duration, CancellationToken cancellationToken)
    {
        WarmUp(action, TimeSpan.FromMilliseconds(Math.Max(300, duration.TotalMilliseconds / 10)), cancellationToken);

        // Start every measurement from a collected heap, so garbage of the previous one is not charged to it.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var self = Process.GetCurrentProcess();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var machineBefore = ProcFs.MachineTicks();
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long operations = 0;
        while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            action();
            operations++;
        }

        clock.Stop();
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        var machineAfter = ProcFs.MachineTicks();
        var machineBusy = (machineAfter.Busy - machineBefore.Busy) / (double)ProcFs.TicksPerSecond;
        return new Measurement
        {
            Operations = operations,
            WallSeconds = clock.Elapsed.TotalSeconds,
            CpuSeconds = cpu,
            OtherCpuCores = Math.Max(0, (machineBusy - cpu) / clock.Elapsed.TotalSeconds),
            AllocatedBytesPerOperation = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)Math.Max(1, operations),
        };
    }
}

/// <summary>How many operations ran in how much wall and CPU time, what else kept the machine busy, and what each allocated.</summary>
internal sealed record Measurement
{
    public required long Operations { get; init; }

    public required double WallSeconds { get; init; }

    /// <summary>This process's user+system CPU time over the measurement, every thread.</summary>
    public required double CpuSeconds { get; init; }

    /// <summary>Average cores kept busy by other processes meanwhile (machine busy time minus ours, per second).</summary>
    public required double OtherCpuCores { get; init; }

    public required double AllocatedBytesPerOperation { get; init; }

    /// <summary>How many times it was measured before contention from other processes was low enough (at most 3).</summary>
    public int Attempts { get; init; } = 1;

    public double PerSecond => Operations / WallSeconds;

    public double PerCpuSecond => Operations / CpuSeconds;

    public double WallMicroseconds => WallSeconds * 1e6 / Operations;

    public double CpuMicroseconds => CpuSeconds * 1e6 / Operations;
}
