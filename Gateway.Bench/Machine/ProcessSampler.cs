using System.Diagnostics;

namespace Gateway.Bench.Machine;

/// <summary>
/// Samples every role's CPU ticks and resident memory once a second from /proc, plus the whole machine's busy ticks.
/// CPU is accumulated per process id, so a backend that comes and goes is counted while it lived. A phase of the
/// benchmark takes a <see cref="Mark"/> at its start and end; <see cref="Between"/> turns two marks into cores used.
/// </summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    /// <summary>
    /// PSS walks every page table of the process (PostgreSQL's shared buffers, the Erlang VM): a third of a core when
    /// read every second for every backend, so servers' memory is read every tenth sample only.
    /// </summary>
    private const int ProportionalEvery = 10;

    private readonly IReadOnlyList<ProcessRole> _roles;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Role, int Pid), long> _lastTicks = [];
    private readonly Dictionary<string, long> _roleTicks = [];
    private readonly Dictionary<string, long> _rssKib = [];
    private readonly Dictionary<string, long> _maxRssKib = [];
    private readonly List<SamplePoint> _series = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _first = true;
    private long _samples;
    private SamplerMark? _previous;

    public ProcessSampler(IReadOnlyList<ProcessRole> roles)
    {
        _roles = roles;
        foreach (var role in roles)
        {
            _roleTicks[role.Name] = 0;
            _maxRssKib[role.Name] = 0;
        }

        Sample();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>One point a second: cores each role used over the last second, and the machine.</summary>
    public IReadOnlyList<SamplePoint> Series
    {
        get
        {
            lock (_gate)
            {
                return [.. _series];
            }
        }
    }

    /// <summary>Samples now and returns the cumulative counters, and the largest resident size seen since the previous mark.</summary>
    public SamplerMark Mark()
    {
        lock (_gate)
        {
            SampleLocked();
            var mark = Snapshot();
            foreach (var role in _roles)
            {
                _maxRssKib[role.Name] = _rssKib.GetValueOrDefault(role.Name);
            }

            return mark;
        }
    }

    public static PhaseUsage Between(SamplerMark start, SamplerMark end)
    {
        var seconds = end.Seconds - start.Seconds;
        var cores = end.RoleTicks.ToDictionary(pair => pair.Key, pair => (pair.Value - start.RoleTicks.GetValueOrDefault(pair.Key)) / (double)ProcFs.TicksPerSecond / seconds);
        return new PhaseUsage
        {
            Seconds = seconds,
            Cores = cores,
            MachineBusyCores = (end.MachineBusy - start.MachineBusy) / (double)ProcFs.TicksPerSecond / seconds,
            MaxRssMib = end.MaxRssKib.ToDictionary(pair => pair.Key, pair => pair.Value / 1024.0),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            Sample();
        }
    }

    private void Sample()
    {
        lock (_gate)
        {
            SampleLocked();
            var mark = Snapshot();
            if (_previous is { } previous && mark.Seconds > previous.Seconds)
            {
                var usage = Between(previous, mark);
                _series.Add(new SamplePoint(Math.Round(mark.Seconds, 1), usage.Cores.ToDictionary(pair => pair.Key, pair => Math.Round(pair.Value, 3)),
                    Math.Round(usage.MachineBusyCores, 3), _rssKib.ToDictionary(pair => pair.Key, pair => Math.Round(pair.Value / 1024.0, 1))));
            }

            _previous = mark;
        }
    }

    private void SampleLocked()
    {
        // Parents once per sample, for the roles that follow a server's children.
        var parents = _roles.Any(role => role.WithChildren || role.ChildCommandLineContains is not null)
            ? ProcFs.ProcessIds().Select(pid => (Pid: pid, Parent: ProcFs.ParentId(pid))).Where(entry => entry.Parent is not null).ToList()
            : [];
        foreach (var role in _roles)
        {
            var single = !role.WithChildren && role.ChildCommandLineContains is null;
            IEnumerable<int> pids = single
                ? [role.ProcessId]
                : parents.Where(entry => role.Matches(entry.Pid, entry.Parent!.Value, () => ProcFs.CommandLine(entry.Pid))).Select(entry => entry.Pid);
            long rss = 0;
            foreach (var id in pids)
            {
                if (ProcFs.CpuTicks(id) is not { } ticks)
                {
                    continue;
                }

                // A process first seen after the start did all its work inside the run; one there at the start is baselined.
                var key = (role.Name, id);
                var last = _lastTicks.TryGetValue(key, out var seen) ? seen : _first ? ticks : 0;
                _roleTicks[role.Name] += ticks - last;
                _lastTicks[key] = ticks;
                rss += single ? ProcFs.Memory(id)?.RssKib ?? 0 : _samples % ProportionalEvery == 0 ? ProcFs.ProportionalKib(id) ?? 0 : 0;
            }

            if (single || _samples % ProportionalEvery == 0)
            {
                _rssKib[role.Name] = rss;
                _maxRssKib[role.Name] = Math.Max(_maxRssKib[role.Name], rss);
            }
        }

        _first = false;
        _samples++;
    }

    private SamplerMark Snapshot() => new()
    {
        Seconds = _clock.Elapsed.TotalSeconds,
        RoleTicks = new Dictionary<string, long>(_roleTicks),
        MachineBusy = ProcFs.MachineTicks().Busy,
        MaxRssKib = new Dictionary<string, long>(_maxRssKib),
    };
}

/// <summary>Cumulative CPU ticks per role and of the machine at one moment, and each role's largest resident size since the previous mark.</summary>
internal sealed record SamplerMark
{
    public required double Seconds { get; init; }

    public required IReadOnlyDictionary<string, long> RoleTicks { get; init; }

    public required long MachineBusy { get; init; }

    public required IReadOnlyDictionary<string, long> MaxRssKib { get; init; }
}

/// <summary>
/// Between two marks: cores each role kept busy on average (1.0 = one core), the machine's busy cores, and the largest
/// memory sampled (a single process: RSS; a server with its children: the sum of their PSS).
/// </summary>
internal sealed record PhaseUsage
{
    public required double Seconds { get; init; }

    public required IReadOnlyDictionary<string, double> Cores { get; init; }

    public required double MachineBusyCores { get; init; }

    public required IReadOnlyDictionary<string, double> MaxRssMib { get; init; }
}

/// <summary>One second of the run: cores per role and of the machine over that second, resident MiB per role.</summary>
internal sealed record SamplePoint(double AtSeconds, IReadOnlyDictionary<string, double> Cores, double MachineBusyCores, IReadOnlyDictionary<string, double> RssMib);
