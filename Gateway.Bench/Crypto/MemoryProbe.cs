using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gateway.Bench.Machine;
using Gateway.Crypto.DevPki;

namespace Gateway.Bench.Crypto;

/// <summary>
/// Peak resident memory of sealing and opening one payload size, each size in a fresh child process (VmHWM only
/// ever rises, so two sizes cannot share a process). The child runs with the server GC, as a gateway node does
/// (the Web SDK turns it on), and with as many round trips in parallel as a node has deliveries in flight.
/// </summary>
internal static class MemoryProbe
{
    public const string Command = "memory-probe";

    public static MemoryProbeResult Measure(string pki, EncryptionKeyKind kind, int payloadBytes, int parallelism, int iterations, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            typeof(MemoryProbe).Assembly.Location, Command, "--pki", pki, "--kind", kind.ToString(),
            "--size", payloadBytes.ToString(CultureInfo.InvariantCulture), "--parallel", parallelism.ToString(CultureInfo.InvariantCulture),
            "--iterations", iterations.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = "1";
        using var process = Process.Start(start)!;
        using var kill = cancellationToken.Register(() => process.Kill());
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Command} exited with {process.ExitCode}: {error.Result}{output}");
        }

        return JsonSerializer.Deserialize<MemoryProbeResult>(output.Trim().Split('\n')[^1], JsonSerializerOptions.Web)!;
    }

    /// <summary>The child: load the federation, warm up with a small payload, note the peak, then run the size asked for.</summary>
    public static int RunChild(BenchArguments arguments)
    {
        arguments.RejectUnknown("pki", "kind", "size", "parallel", "iterations");
        var kind = Enum.Parse<EncryptionKeyKind>(arguments.String("kind") ?? "Ec", ignoreCase: true);
        var size = arguments.Int("size", 4096);
        var parallelism = arguments.Int("parallel", 1);
        var iterations = arguments.Int("iterations", 40);
        using var federation = new CryptoFederation(arguments.String("pki") ?? throw new BenchUsageException("--pki is required"), kind);

        RoundTrip(federation, SyntheticPayload.Consultation(1024));
        GC.Collect();
        var baseline = ProcFs.Memory(Environment.ProcessId)!.Value;

        var payload = SyntheticPayload.Consultation(size);
        var clock = Stopwatch.StartNew();
        Parallel.For(0, parallelism, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, _ =>
        {
            for (var i = 0; i < iterations; i++)
            {
                RoundTrip(federation, payload);
            }
        });
        clock.Stop();
        var end = ProcFs.Memory(Environment.ProcessId)!.Value;
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        Console.WriteLine(JsonSerializer.Serialize(new MemoryProbeResult
        {
            Kind = kind.ToString(),
            PayloadBytes = size,
            Parallelism = parallelism,
            Iterations = iterations,
            ServerGc = System.Runtime.GCSettings.IsServerGC,
            BaselinePeakRssKib = baseline.PeakRssKib,
            PeakRssKib = end.PeakRssKib,
            RssAtEndKib = end.RssKib,
            ManagedAllocatedMib = GC.GetTotalAllocatedBytes() / 1048576.0,
            Gen2Collections = GC.CollectionCount(2),
            GcPauseTimePercent = gc.PauseTimePercentage,
            Seconds = clock.Elapsed.TotalSeconds,
        }, JsonSerializerOptions.Web));
        return 0;
    }

    private static void RoundTrip(CryptoFederation federation, Gateway.Contracts.Envelopes.EnvelopePayload payload)
    {
        var envelope = federation.Sealer.Seal(payload, federation.SenderSigning, federation.RecipientCertificate);
        _ = federation.Opener.Open(envelope);
    }
}

/// <summary>One child's memory: peak RSS after loading and warming up, peak RSS after the workload (KiB).</summary>
internal sealed record MemoryProbeResult
{
    public required string Kind { get; init; }

    public required int PayloadBytes { get; init; }

    public required int Parallelism { get; init; }

    public required int Iterations { get; init; }

    public required bool ServerGc { get; init; }

    public required long BaselinePeakRssKib { get; init; }

    public required long PeakRssKib { get; init; }

    public required long RssAtEndKib { get; init; }

    public required double ManagedAllocatedMib { get; init; }

    public required int Gen2Collections { get; init; }

    public required double GcPauseTimePercent { get; init; }

    public required double Seconds { get; init; }
}
