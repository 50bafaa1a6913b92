using System.Globalization;

namespace Gateway.Bench;

/// <summary>The command line: a command word, then <c>--name value</c> options (a repeated option keeps every value).</summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, List<string>> _options;

    private BenchArguments(string command, Dictionary<string, List<string>> options)
    {
        Command = command;
        _options = options;
    }

    public string Command { get; }

    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new BenchUsageException("a command is required: crypto or e2e");
        }

        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length == 2)
            {
                throw new BenchUsageException($"unexpected argument '{args[i]}'");
            }

            var name = args[i][2..];
            var value = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
            if (!options.TryGetValue(name, out var values))
            {
                options[name] = values = [];
            }

            values.Add(value);
        }

        return new BenchArguments(args[0], options);
    }

    public string? String(string name) => _options.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var values) ? values : [];

    public bool Flag(string name) => String(name) is "true";

    public double Double(string name, double fallback) =>
        String(name) is not { } text ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new BenchUsageException($"--{name} must be a positive number, not '{text}'");

    public int Int(string name, int fallback) =>
        String(name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new BenchUsageException($"--{name} must be a positive whole number, not '{text}'");

    public IReadOnlyList<int> Ints(string name, IReadOnlyList<int> fallback) =>
        String(name) is not { } text
            ? fallback
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
                int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                    ? value
                    : throw new BenchUsageException($"--{name} takes positive whole numbers separated by commas, not '{text}'"))];

    /// <summary>Names given that the command does not know: a typo is an error, not a silently ignored option.</summary>
    public void RejectUnknown(params string[] known)
    {
        var unknown = _options.Keys.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new BenchUsageException($"unknown option(s) for {Command}: {string.Join(", ", unknown.Select(name => "--" + name))}");
        }
    }
}
