using System.Globalization;
using System.Text;
using Gateway.Bench.Reporting;

namespace Gateway.Bench.EndToEnd;

/// <summary>The markdown of an <c>e2e</c> run: the tables docs/benchmarks.md quotes.</summary>
internal static class EndToEndReport
{
    public static string Markdown(EndToEndResults results)
    {
        var text = new StringBuilder();
        var machine = results.Machine;
        text.Append(CultureInfo.InvariantCulture, $"# End-to-end benchmark {results.StartedAt:yyyy-MM-dd HH:mm} UTC\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{machine.CpuModel}, {machine.LogicalCpus} logical CPUs, {machine.MemoryMib:N0} MiB; {machine.OperatingSystem}, Linux {machine.Kernel}; {machine.DotNet}. ");
        text.Append(CultureInfo.InvariantCulture, $"{results.Broker}; {results.Database}; both on this machine. Load average {machine.LoadAverageAtStart} at start, {results.LoadAverageAtEnd} at end.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Two gateway processes (`gateway run`): EE-SKA sends AnonymousConsultations ({ConsultationRequest.QuestionLength}-character question, envelope {results.EnvelopeBytes:N0} bytes) ");
        text.Append("through its caseworker API to FI-NRM. Delivered = the sender recorded `Delivered` with the receiver's verified receipt. ");
        text.Append(results.Settings.Count == 0
            ? "Node settings: the deployed defaults (deploy/systemd logging levels).\n\n"
            : $"Node settings beyond the defaults: {string.Join(", ", results.Settings.Select(pair => $"`{pair.Key}={pair.Value}`"))}.\n\n");

        text.Append("## Throughput and latency\n\n");
        var load = new MarkdownTable("phase", "window s", "accepted/s", "delivered/s", "slowest 5 s", "refused", "failed", "undelivered", "at receiver",
            "accept→receipt p50 / p95 / p99 / max ms", "202 p50 / p99 ms", "drain s", "machine busy (of 2 cores)", "other processes (cores)",
            "system CPU ms/message", "CPU-bound ceiling/s");
        foreach (var phase in results.Phases.Prepend(results.WarmUp))
        {
            load.Row(phase.Name, phase.WindowSeconds, phase.AcceptedPerSecond, phase.DeliveredPerSecond,
                phase.DeliveredPerSecondBy5s.Count == 0 ? null : phase.DeliveredPerSecondBy5s.Min(), phase.Refused.Values.Sum(), phase.FailedDeliveries, phase.Undelivered,
                $"{phase.AtReceiver}/{phase.Accepted}", Latency(phase.LatencyMs), Accept(phase.AcceptLatencyMs), phase.DrainSeconds, phase.Usage.MachineBusyCores, phase.OtherCores,
                phase.SystemCpuMsPerMessage, phase.CpuBoundCeilingPerSecond);
        }

        text.Append(load).Append('\n');
        text.Append("System CPU ms/message: both nodes, PostgreSQL and RabbitMQ (not the load generator) per message delivered in the window; ")
            .Append("the CPU-bound ceiling is the machine's cores divided by that: what this build could deliver here if nothing else ran, ")
            .Append("which other work on a shared machine does not move.\n\n");
        var refusals = results.Phases.SelectMany(phase => phase.Refused.Select(pair => $"{phase.Name}: {pair.Value}× {pair.Key}")).ToList();
        if (refusals.Count > 0)
        {
            text.Append("Refused requests: ").AppendJoin("; ", refusals).Append(".\n\n");
        }

        text.Append("## CPU by process (cores busy during the window; 1.00 = one full core) and CPU ms per delivered message\n\n");
        var roles = results.Phases.SelectMany(phase => phase.Usage.Cores.Keys).Distinct().ToList();
        var cpu = new MarkdownTable(["phase", .. roles, "machine"]);
        foreach (var phase in results.Phases.Prepend(results.WarmUp))
        {
            cpu.Row([phase.Name, .. roles.Select(role => (object?)Cell(phase, role)), MarkdownTable.Number(phase.Usage.MachineBusyCores)]);
        }

        text.Append(cpu).Append('\n');
        text.Append("Each cell: cores / CPU ms per delivered message. The postgres rows per database are part of the postgres total.\n\n");

        text.Append("## Memory\n\n");
        var memory = new MarkdownTable(["phase", .. results.Phases[0].NodePeakRssMib.Keys.Select(node => $"{node} peak RSS (VmHWM)"), .. roles.Select(role => $"{role}: max sampled")]);
        foreach (var phase in results.Phases)
        {
            memory.Row([phase.Name, .. phase.NodePeakRssMib.Values.Select(mib => (object?)$"{mib:0} MiB"),
                .. roles.Select(role => (object?)(phase.Usage.MaxRssMib.TryGetValue(role, out var mib) ? $"{mib:0} MiB" : null))]);
        }

        text.Append(memory).Append('\n');
        text.Append("VmHWM only rises: a node's peak after the closed loop is its peak under closed loop; later phases can only add to it. ")
            .Append("Sampled once a second: RSS for a single process, the sum of PSS (shared pages split among sharers) for a server with its children.\n\n");

        text.Append("## Log lines per accepted message\n\n");
        var logs = new MarkdownTable(["phase", .. results.Phases[0].LogLinesPerMessage.Keys]);
        foreach (var phase in results.Phases)
        {
            logs.Row([phase.Name, .. phase.LogLinesPerMessage.Values.Select(lines => (object?)lines)]);
        }

        text.Append(logs).Append('\n');

        text.Append("## Targets\n\n");
        var closed = results.Phases.FirstOrDefault(phase => phase.Clients is not null);
        var at200 = results.Phases.FirstOrDefault(phase => phase.OfferedPerSecond == 200);
        var targets = new MarkdownTable("target", "measured", "reached");
        if (closed is not null)
        {
            var failures = closed.Refused.Values.Sum() + closed.FailedDeliveries + closed.Undelivered;
            targets.Row("closed loop ≥ 1,000 referrals/s of 4 KiB sustained 60 s, zero failures",
                string.Create(CultureInfo.InvariantCulture, $"{closed.DeliveredPerSecond:0} delivered/s over {closed.WindowSeconds:0} s (slowest 5 s: {closed.DeliveredPerSecondBy5s.DefaultIfEmpty().Min():0}/s), {failures} failures"),
                closed.DeliveredPerSecond >= 1000 && closed.WindowSeconds >= 59 && failures == 0 ? "yes" : "**no**");
            var peak = closed.NodePeakRssMib.Values.Max();
            targets.Row("peak RSS ≤ 300 MB per node under closed loop",
                string.Join(", ", closed.NodePeakRssMib.Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value * 1.048576:0} MB ({pair.Value:0} MiB)"))),
                peak * 1.048576 <= 300 ? "yes" : "**no**");
        }

        if (at200 is not null)
        {
            targets.Row("open loop at 200/s offered: p99 accept→receipt ≤ 50 ms",
                string.Create(CultureInfo.InvariantCulture, $"p99 {at200.LatencyMs?.P99:0} ms (delivered {at200.DeliveredPerSecond:0}/s)"),
                at200.LatencyMs is { } latency && latency.P99 <= 50 && at200.Undelivered == 0 ? "yes" : "**no**");
        }

        text.Append(targets).Append('\n');
        return text.ToString();
    }

    private static string Cell(PhaseResult phase, string role) =>
        phase.Usage.Cores.TryGetValue(role, out var cores)
            ? $"{cores:0.00} / {MarkdownTable.Format(phase.CpuMsPerMessage.GetValueOrDefault(role, double.NaN))}"
            : "–";

    private static string Latency(Percentiles? latency) =>
        latency is null ? "–" : $"{MarkdownTable.Number(latency.P50)} / {MarkdownTable.Number(latency.P95)} / {MarkdownTable.Number(latency.P99)} / {MarkdownTable.Number(latency.Max)}";

    private static string Accept(Percentiles? latency) =>
        latency is null ? "–" : $"{MarkdownTable.Number(latency.P50)} / {MarkdownTable.Number(latency.P99)}";
}
