using System.Globalization;
using System.Text;
using Gateway.Bench.Reporting;

namespace Gateway.Bench.Crypto;

/// <summary>The markdown of a <c>crypto</c> run: the tables docs/benchmarks.md quotes.</summary>
internal static class CryptoReport
{
    public static string Markdown(CryptoResults results)
    {
        var text = new StringBuilder();
        var machine = results.Machine;
        text.Append(CultureInfo.InvariantCulture, $"# Crypto benchmark {results.StartedAt:yyyy-MM-dd HH:mm} UTC\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{machine.CpuModel}, {machine.LogicalCpus} logical CPUs, {machine.MemoryMib:N0} MiB; {machine.OperatingSystem}, Linux {machine.Kernel}; {machine.DotNet}; {machine.OpenSsl}. ");
        text.Append(CultureInfo.InvariantCulture, $"Load average {machine.LoadAverageAtStart} at start, {results.LoadAverageAtEnd} at end. {results.SecondsPerMeasurement} s per measurement, one thread. ")
            .Append("Gateway times are CPU time of the benchmark process (every thread, so GC counts), as `openssl speed` counts CPU time; ")
            .Append("\"other load\" is how many cores other processes kept busy meanwhile.\n\n");

        text.Append("## Seal + open against `openssl speed` (target: within 2×)\n\n");
        var targets = new MarkdownTable("recipient", "payload", "seal µs", "open µs", "seal+open µs", "openssl model µs", "ratio", "ratio incl. SHA-256 (+EC keygen)", "within 2×");
        foreach (var group in results.Gateway.Where(r => r.Operation is "seal" or "open").GroupBy(r => (r.Kind, r.PayloadBytes)))
        {
            var seal = group.Single(r => r.Operation == "seal");
            var open = group.Single(r => r.Operation == "open");
            var gateway = seal.MicrosecondsPerOperation + open.MicrosecondsPerOperation;
            var model = seal.OpenSslModelMicroseconds + open.OpenSslModelMicroseconds;
            var full = seal.OpenSslFullModelMicroseconds + open.OpenSslFullModelMicroseconds;
            targets.Row(group.Key.Kind.ToUpperInvariant(), Size(group.Key.PayloadBytes), seal.MicrosecondsPerOperation, open.MicrosecondsPerOperation, gateway, model,
                $"{gateway / model:0.00}×", $"{gateway / full:0.00}×", gateway / model <= 2 ? "yes" : "**no**");
        }

        text.Append(targets).Append('\n');

        text.Append("## Every operation\n\n");
        var all = new MarkdownTable("recipient", "operation", "payload", "envelope", "ops/s (wall)", "CPU µs/op", "openssl model µs", "ratio", "full model µs", "ratio (full)", "managed alloc/op", "other load (cores)");
        foreach (var r in results.Gateway)
        {
            all.Row(r.Kind.ToUpperInvariant(), r.Operation, Size(r.PayloadBytes), Size(r.EnvelopeBytes), r.PerSecond, r.MicrosecondsPerOperation,
                r.OpenSslModelMicroseconds, $"{r.Ratio:0.00}×", r.OpenSslFullModelMicroseconds, $"{r.FullRatio:0.00}×", Size((int)r.AllocatedBytesPerOperation), r.OtherCpuCores);
        }

        text.Append(all).Append('\n');
        text.Append("Model: seal = 1 ECDH (RSA: 1 public op) + 1 ECDSA sign + AES-256-GCM over the payload; open = 1 ECDH (RSA: 1 private op) + ")
            .Append("1 ECDSA verify + AES-256-GCM; receipt sign/verify = 1 ECDSA sign/verify. The full model adds SHA-256 over the payload ")
            .Append("(the CMS message digest; for receipts over the envelope) and, for an EC seal, the ephemeral key (costed as one ECDSA sign).\n\n");

        var o = results.OpenSsl;
        text.Append(CultureInfo.InvariantCulture, $"## `openssl speed` in the same run ({o.Version})\n\n");
        var primitives = new MarkdownTable("primitive", "per second", "µs");
        primitives.Row("ECDH P-256 derive", o.EcdhP256PerSecond, 1e6 / o.EcdhP256PerSecond)
            .Row("ECDSA P-256 sign", o.EcdsaP256SignPerSecond, 1e6 / o.EcdsaP256SignPerSecond)
            .Row("ECDSA P-256 verify", o.EcdsaP256VerifyPerSecond, 1e6 / o.EcdsaP256VerifyPerSecond)
            .Row("RSA-3072 private", o.Rsa3072PrivatePerSecond, 1e6 / o.Rsa3072PrivatePerSecond)
            .Row("RSA-3072 public", o.Rsa3072PublicPerSecond, 1e6 / o.Rsa3072PublicPerSecond);
        foreach (var (size, bytesPerSecond) in o.Aes256GcmBytesPerSecond.OrderBy(pair => pair.Key))
        {
            primitives.Row($"AES-256-GCM {Size(size)} ({bytesPerSecond / 1e6:N0} MB/s)", bytesPerSecond / size, 1e6 * size / bytesPerSecond);
        }

        foreach (var (size, bytesPerSecond) in o.Sha256BytesPerSecond.OrderBy(pair => pair.Key))
        {
            primitives.Row($"SHA-256 {Size(size)} ({bytesPerSecond / 1e6:N0} MB/s)", bytesPerSecond / size, 1e6 * size / bytesPerSecond);
        }

        text.Append(primitives).Append('\n');

        text.Append("## The primitives as the gateway calls them\n\n");
        var components = new MarkdownTable("primitive", "used by", "size", "per CPU-second", "CPU µs", "other load (cores)");
        foreach (var c in results.Components)
        {
            components.Row(c.Name, c.UsedBy, c.PayloadBytes is { } bytes ? Size(bytes) : null, c.PerCpuSecond, c.CpuMicroseconds, c.OtherCpuCores);
        }

        text.Append(components).Append('\n');

        text.Append("## Peak memory of seal + open, 1 MiB against 4 KiB (target: +8 MiB at most)\n\n");
        text.Append("Each line is a fresh child process (server GC, as a node runs) that loads the EC federation, warms up with a 1 KiB ")
            .Append("payload, then seals and opens the payload size `iterations` times on `parallel` threads. VmHWM from /proc.\n\n");
        var memory = new MemoryTable();
        text.Append(memory.Build(results.Memory)).Append('\n');
        return text.ToString();
    }

    public static string Size(int bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MiB",
        >= 1024 * 1024 => $"{bytes / 1048576.0:0.00} MiB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KiB",
        >= 1024 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };

    private sealed class MemoryTable
    {
        public string Build(IReadOnlyList<MemoryProbeResult> probes)
        {
            var table = new MarkdownTable("payload", "parallel", "iterations", "peak RSS after warm-up", "peak RSS", "managed allocated", "gen2 GCs", "1 MiB − 4 KiB peak", "≤ 8 MiB");
            foreach (var probe in probes)
            {
                var small = probes.FirstOrDefault(p => p.Parallelism == probe.Parallelism && p.PayloadBytes == 4 * 1024);
                var increase = probe.PayloadBytes != 4 * 1024 && small is not null ? (probe.PeakRssKib - small.PeakRssKib) / 1024.0 : (double?)null;
                table.Row(Size(probe.PayloadBytes), probe.Parallelism, probe.Iterations, $"{probe.BaselinePeakRssKib / 1024.0:0.0} MiB", $"{probe.PeakRssKib / 1024.0:0.0} MiB",
                    $"{probe.ManagedAllocatedMib:0} MiB", probe.Gen2Collections, increase is { } mib ? $"{mib:+0.0;-0.0} MiB" : null,
                    increase is { } value ? (value <= 8 ? "yes" : "**no**") : null);
            }

            return table.ToString();
        }
    }
}
