using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Bench.Machine;
using Gateway.Testing.Persistence;

namespace Gateway.Bench.EndToEnd;

/// <summary>
/// The two kinds of load against the sender's caseworker API. Closed loop: N clients, each submitting its next
/// consultation once the previous one is Delivered (accepted → verified receipt), which finds the highest sustainable
/// throughput without building a backlog. Open loop: a fixed rate on a fixed schedule, whatever the answers, which
/// measures latency at a given load. After each window the phase waits for every accepted message to settle, then
/// reads both databases.
/// </summary>
internal sealed class LoadPhases(BenchFederation federation, ProcessSampler sampler, HttpClient client, byte[] body, TimeSpan drainLimit)
{
    private static readonly TimeSpan MessageTimeout = TimeSpan.FromSeconds(60);

    private readonly Submitter _submitter = new(client, body);

    public async Task<PhaseResult> ClosedLoopAsync(string name, int clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        var run = new PhaseRun();
        await using var watcher = new DeliveryWatcher(federation.DatabaseOf(BenchFederation.Sender));
        var start = Begin(run);
        var clock = Stopwatch.StartNew();
        await using (var timeline = new Timeline(federation, run))
        {
            var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
                {
                    var submission = await _submitter.SubmitAsync(cancellationToken);
                    run.Record(submission);
                    if (submission.MessageId is not { } id)
                    {
                        await Task.Delay(50, cancellationToken);
                        continue;
                    }

                    try
                    {
                        await watcher.SettledAsync(id).WaitAsync(MessageTimeout, cancellationToken);
                    }
                    catch (TimeoutException)
                    {
                        // Not settled in time: the drain and the final read decide what became of it.
                        watcher.Forget(id);
                    }
                }
            }, cancellationToken)).ToList();
            await Task.WhenAll(workers);
        }

        return await FinishAsync(name, run, start, cancellationToken) with { Clients = clients };
    }

    public async Task<PhaseResult> OpenLoopAsync(string name, int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var run = new PhaseRun();
        var start = Begin(run);
        var lags = new ConcurrentBag<double>();
        var requests = new List<Task>();
        await using (var timeline = new Timeline(federation, run))
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; ; i++)
            {
                var due = TimeSpan.FromSeconds(i / (double)perSecond);
                if (due >= duration || cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, cancellationToken);
                }

                lags.Add((clock.Elapsed - due).TotalMilliseconds);
                requests.Add(Task.Run(async () => run.Record(await _submitter.SubmitAsync(cancellationToken)), cancellationToken));
            }

            await Task.WhenAll(requests);
        }

        return await FinishAsync(name, run, start, cancellationToken) with { OfferedPerSecond = perSecond, SendLagMs = Percentiles.Of(lags) };
    }

    private PhaseStart Begin(PhaseRun run)
    {
        var logLines = BenchFederation.NodeIds.ToDictionary(id => id, id => federation.Node(id).LogLines);
        run.Start();
        return new PhaseStart(sampler.Mark(), DateTimeOffset.UtcNow, logLines);
    }

    private async Task<PhaseResult> FinishAsync(string name, PhaseRun run, PhaseStart start, CancellationToken cancellationToken)
    {
        var windowEnd = DateTimeOffset.UtcNow;
        var usage = ProcessSampler.Between(start.Mark, sampler.Mark());
        var peaks = BenchFederation.NodeIds.ToDictionary(id => id, id => (ProcFs.Memory(federation.Node(id).ProcessId)?.PeakRssKib ?? 0) / 1024.0);
        var window = (windowEnd - start.At).TotalSeconds;

        // Drain: every accepted message settled, or the limit.
        var ids = run.AcceptedIds;
        var drain = Stopwatch.StartNew();
        IReadOnlyList<DeliveryRecord> records = [];
        while (true)
        {
            records = await DeliveryRecord.ReadAsync(federation.DatabaseOf(BenchFederation.Sender), ids, cancellationToken);
            if (records.All(record => record.State is "Delivered" or "Failed" or "Cancelled") || drain.Elapsed > drainLimit)
            {
                break;
            }

            await Task.Delay(500, cancellationToken);
        }

        var drainSeconds = drain.Elapsed.TotalSeconds;
        var atReceiver = await DeliveryRecord.CountReceivedAsync(federation.DatabaseOf(BenchFederation.Receiver), ids, cancellationToken);
        var delivered = records.Where(record => record.State == "Delivered").ToList();
        var startMs = start.At.ToUnixTimeMilliseconds();
        var endMs = windowEnd.ToUnixTimeMilliseconds();
        var inWindow = delivered.Count(record => record.DeliveredAtMs >= startMs && record.DeliveredAtMs <= endMs);
        var buckets = Enumerable.Range(0, Math.Max(1, (int)(window / 5)))
            .Select(bucket => delivered.Count(record => record.DeliveredAtMs >= startMs + (bucket * 5000) && record.DeliveredAtMs < startMs + ((bucket + 1) * 5000)) / 5.0)
            .ToList();
        var roles = usage.Cores.Keys.ToList();
        var ours = usage.Cores.Where(pair => EndToEndBenchmark.TopLevelRoles.Contains(pair.Key)).Sum(pair => pair.Value);
        var system = usage.Cores.Where(pair => EndToEndBenchmark.SystemRoles.Contains(pair.Key)).Sum(pair => pair.Value);
        var systemMs = inWindow == 0 ? double.NaN : system * window * 1000 / inWindow;
        return new PhaseResult
        {
            Name = name,
            WindowSeconds = window,
            Submitted = run.Submitted,
            Accepted = ids.Count,
            Refused = run.Refused,
            Delivered = delivered.Count,
            FailedDeliveries = records.Count(record => record.State is "Failed" or "Cancelled"),
            Undelivered = ids.Count - records.Count(record => record.State is "Delivered" or "Failed" or "Cancelled"),
            AtReceiver = atReceiver,
            ExtraAttempts = records.Sum(record => Math.Max(0, record.Attempts - 1)),
            AcceptedPerSecond = ids.Count / window,
            DeliveredPerSecond = inWindow / window,
            DeliveredPerSecondBy5s = buckets,
            LatencyMs = Percentiles.Of(delivered.Select(record => record.LatencyMs!.Value)),
            AcceptLatencyMs = Percentiles.Of(run.AcceptLatenciesMs),
            DrainSeconds = drainSeconds,
            Usage = usage,
            NodePeakRssMib = peaks,
            OtherCores = Math.Max(0, usage.MachineBusyCores - ours),
            SystemCpuMsPerMessage = systemMs,
            CpuBoundCeilingPerSecond = Environment.ProcessorCount * 1000 / systemMs,
            CpuMsPerMessage = roles.ToDictionary(role => role, role => inWindow == 0 ? double.NaN : usage.Cores[role] * window * 1000 / inWindow),
            LogLinesPerMessage = BenchFederation.NodeIds.ToDictionary(id => id, id => ids.Count == 0 ? 0 : (federation.Node(id).LogLines - start.LogLines[id]) / (double)ids.Count),
            Timeline = run.Timeline,
        };
    }

    private sealed record PhaseStart(SamplerMark Mark, DateTimeOffset At, IReadOnlyDictionary<string, long> LogLines);

    /// <summary>What the clients of one phase saw, collected from many tasks.</summary>
    private sealed class PhaseRun
    {
        private readonly ConcurrentQueue<Guid> _accepted = new();
        private readonly ConcurrentQueue<double> _acceptLatencies = new();
        private readonly ConcurrentDictionary<string, int> _refused = new();
        private readonly ConcurrentQueue<TimelinePoint> _timeline = new();
        private readonly Stopwatch _clock = new();
        private int _submitted;

        public int Submitted => _submitted;

        public int AcceptedCount => _accepted.Count;

        public IReadOnlyCollection<Guid> AcceptedIds => [.. _accepted];

        public IReadOnlyList<double> AcceptLatenciesMs => [.. _acceptLatencies];

        public IReadOnlyDictionary<string, int> Refused => new SortedDictionary<string, int>(_refused, StringComparer.Ordinal);

        public IReadOnlyList<TimelinePoint> Timeline => [.. _timeline];

        public double Elapsed => _clock.Elapsed.TotalSeconds;

        public void Start() => _clock.Start();

        public void Record(Submission submission)
        {
            Interlocked.Increment(ref _submitted);
            if (submission.MessageId is { } id)
            {
                _accepted.Enqueue(id);
                _acceptLatencies.Enqueue(submission.Elapsed.TotalMilliseconds);
            }
            else
            {
                _refused.AddOrUpdate(submission.Failure ?? "unknown", 1, (_, count) => count + 1);
            }
        }

        public void Add(TimelinePoint point) => _timeline.Enqueue(point);
    }

    /// <summary>Once a second: the sender's outbound counts by state (SentMessageStore.CountByStateAsync) beside what the clients saw.</summary>
    private sealed class Timeline : IAsyncDisposable
    {
        private readonly NodeStores _stores;
        private readonly PhaseRun _run;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Timeline(BenchFederation federation, PhaseRun run)
        {
            _stores = federation.OpenStores(BenchFederation.Sender);
            _run = run;
            _loop = Task.Run(LoopAsync);
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
            await _stores.DisposeAsync();
        }

        private async Task LoopAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    var counts = await _stores.Sent.CountByStateAsync(_stop.Token);
                    _run.Add(new TimelinePoint(Math.Round(_run.Elapsed, 1), _run.AcceptedCount, counts.ToDictionary(pair => pair.Key.ToString(), pair => pair.Value)));
                }
                catch (System.Data.Common.DbException exception)
                {
                    // The database away for a moment (another run restarting it) leaves a gap in the timeline, not a dead benchmark.
                    Console.Error.WriteLine($"e2e: timeline: {exception.Message}");
                }
            }
        }
    }
}
