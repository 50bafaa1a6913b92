using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Bench.Reporting;

namespace Gateway.Bench.Profiling;

/// <summary>
/// <c>perf-summary</c>: reads the text of <c>perf script -F comm,tid,ip,sym,dso</c> for one gateway process (recorded
/// with <c>perf record -g</c> while the node ran with <c>DOTNET_PerfMapEnabled=1</c>, so JIT-compiled frames have
/// names) and says where its CPU went: by library, by component (a sample counts for every component on its stack),
/// and the gateway's own synchronous methods. No dotnet-trace or dotnet-counters is installed on these machines;
/// Linux perf is.
/// </summary>
internal static partial class PerfSummary
{
    public const string Command = "perf-summary";

    private static readonly (string Name, Func<string, string, bool> Matches)[] Components =
    [
        ("JIT compiler (libclrjit: tiered recompilation)", (_, dso) => dso.Contains("libclrjit", StringComparison.Ordinal)),
        ("OpenSSL libcrypto (TLS, .NET's ECDSA/ECDH/AES)", (_, dso) => dso.Contains("libcrypto", StringComparison.Ordinal)),
        ("BouncyCastle", (symbol, _) => symbol.Contains("[BouncyCastle.Cryptography]", StringComparison.Ordinal)),
        ("TLS (SslStream, libssl)", (symbol, dso) => symbol.Contains("[System.Net.Security]", StringComparison.Ordinal) || dso.Contains("libssl", StringComparison.Ordinal)),
        ("Kestrel", (symbol, _) => symbol.Contains("Kestrel", StringComparison.Ordinal)),
        ("HttpClient + Polly (delivery POST)", (symbol, _) => symbol.Contains("[System.Net.Http]", StringComparison.Ordinal) || symbol.Contains("[Polly", StringComparison.Ordinal)),
        ("Npgsql", (symbol, _) => symbol.Contains("[Npgsql]", StringComparison.Ordinal)),
        ("MassTransit + RabbitMQ.Client", (symbol, _) => symbol.Contains("[MassTransit", StringComparison.Ordinal) || symbol.Contains("[RabbitMQ.Client]", StringComparison.Ordinal)),
        ("JsonSchema.Net (schema validation)", (symbol, _) => symbol.Contains("[JsonSchema.Net]", StringComparison.Ordinal)),
        ("System.Text.Json", (symbol, _) => symbol.Contains("[System.Text.Json]", StringComparison.Ordinal)),
        ("X.509 (certificates, chains)", (symbol, _) => symbol.Contains("X509", StringComparison.Ordinal)),
        ("logging", (symbol, _) => symbol.Contains("Microsoft.Extensions.Logging", StringComparison.Ordinal)),
        ("OpenTelemetry / Activity", (symbol, _) => symbol.Contains("OpenTelemetry", StringComparison.Ordinal) || symbol.Contains("System.Diagnostics.Activity", StringComparison.Ordinal)),
    ];

    public static int Run(BenchArguments arguments)
    {
        arguments.RejectUnknown("script", "title", "out");
        var path = arguments.String("script") ?? throw new BenchUsageException("--script FILE (the output of perf script -F comm,tid,ip,sym,dso) is required");
        var title = arguments.String("title") ?? Path.GetFileNameWithoutExtension(path);
        var samples = Read(path);
        if (samples.Count == 0)
        {
            throw new BenchUsageException($"{path} holds no samples");
        }

        var markdown = Markdown(title, samples);
        Console.WriteLine(markdown);
        if (arguments.String("out") is { } output)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, markdown);
            Console.WriteLine($"written: {output}");
        }

        return 0;
    }

    private static string Markdown(string title, IReadOnlyList<IReadOnlyList<(string Symbol, string Dso)>> samples)
    {
        double Share(int count) => 100.0 * count / samples.Count;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# CPU profile: {title}\n\n{samples.Count:N0} samples (perf record -g). ");
        text.Append("Inclusive: a sample counts for every component on its stack, so the rows overlap. Async continuations run on the ")
            .Append("stack of the awaited call that completed them, so only synchronous gateway methods are listed below.\n\n");

        var leaf = new MarkdownTable("where the CPU was (innermost frame)", "share");
        foreach (var group in samples.GroupBy(stack => Library(stack[0])).OrderByDescending(group => group.Count()).Take(8))
        {
            leaf.Row(group.Key, $"{Share(group.Count()):0.0} %");
        }

        text.Append(leaf).Append('\n');
        var components = new MarkdownTable("component (inclusive)", "share");
        foreach (var (name, matches) in Components)
        {
            components.Row(name, $"{Share(samples.Count(stack => stack.Any(frame => matches(frame.Symbol, frame.Dso)))):0.0} %");
        }

        text.Append(components).Append('\n');
        var gateway = samples
            .SelectMany(stack => stack.Where(frame => IsGateway(frame.Symbol) && !frame.Symbol.Contains(">d__", StringComparison.Ordinal)).Select(frame => Short(frame.Symbol)).Distinct())
            .GroupBy(name => name)
            .OrderByDescending(group => group.Count())
            .Take(20);
        var methods = new MarkdownTable("gateway method, synchronous part (inclusive)", "share");
        foreach (var group in gateway)
        {
            methods.Row($"`{group.Key}`", $"{Share(group.Count()):0.0} %");
        }

        text.Append(methods).Append('\n');
        var hottest = new MarkdownTable("hottest managed leaf methods", "share");
        foreach (var group in samples.Where(stack => IsManaged(stack[0].Symbol)).GroupBy(stack => Short(stack[0].Symbol)).OrderByDescending(group => group.Count()).Take(12))
        {
            hottest.Row($"`{group.Key}`", $"{Share(group.Count()):0.0} %");
        }

        text.Append(hottest).Append('\n');
        return text.ToString();
    }

    private static List<IReadOnlyList<(string Symbol, string Dso)>> Read(string path)
    {
        var samples = new List<IReadOnlyList<(string Symbol, string Dso)>>();
        List<(string Symbol, string Dso)>? current = null;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                if (current is { Count: > 0 })
                {
                    samples.Add(current);
                }

                current = null;
            }
            else if (!char.IsWhiteSpace(line[0]))
            {
                current = [];
            }
            else if (current is not null)
            {
                // "    7f90071204d0 SYMBOL (DSO)": the address, then the symbol, then the library in parentheses.
                var frame = FrameLine().Match(line);
                if (frame.Success)
                {
                    current.Add((frame.Groups["symbol"].Value, frame.Groups["dso"].Value));
                }
            }
        }

        if (current is { Count: > 0 })
        {
            samples.Add(current);
        }

        return samples;
    }

    private static string Library((string Symbol, string Dso) frame) =>
        frame.Dso.StartsWith("/tmp/perf-", StringComparison.Ordinal) || frame.Dso.Contains("[JIT]", StringComparison.Ordinal)
            ? "JIT-compiled managed code"
            : Path.GetFileName(frame.Dso);

    private static bool IsGateway(string symbol) =>
        symbol.Contains("[gateway]", StringComparison.Ordinal) || symbol.Contains("[Gateway.Crypto]", StringComparison.Ordinal);

    private static bool IsManaged(string symbol) => symbol.Contains("::", StringComparison.Ordinal) && symbol.Contains('[', StringComparison.Ordinal);

    /// <summary><c>[Assembly] Namespace.Type::Method</c> without signature and tier.</summary>
    private static string Short(string symbol)
    {
        var match = ManagedName().Match(symbol);
        return match.Success ? $"{match.Groups["type"].Value}::{match.Groups["method"].Value}" : symbol.Length > 100 ? symbol[..100] : symbol;
    }

    [GeneratedRegex(@"^\s*[0-9a-f]+\s+(?<symbol>.*)\s+\((?<dso>[^()]*)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex FrameLine();

    [GeneratedRegex(@"\[[\w.-]+\] (?<type>[\w.`+<>|]+)::(?<method>[\w<>`|.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ManagedName();
}
