using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Bench.Reporting;

/// <summary>Where results go: <c>docs/benchmarks/</c> of the checkout (or <c>--out</c>), one JSON and one markdown file per run.</summary>
internal sealed class ResultsFolder(string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Directory { get; } = directory;

    public static ResultsFolder From(BenchArguments arguments) =>
        new(arguments.String("out") is { } output ? Path.GetFullPath(output) : Path.Combine(RepositoryRoot(), "docs", "benchmarks"));

    /// <summary>Writes <c>KIND-yyyyMMdd-HHmmss.json</c> and <c>.md</c>; returns both paths.</summary>
    public (string Json, string Markdown) Write<T>(string kind, DateTimeOffset startedAt, T result, string markdown)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var stem = Path.Combine(Directory, $"{kind}-{startedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(result, Json) + "\n");
        File.WriteAllText(stem + ".md", markdown);
        return (stem + ".json", stem + ".md");
    }

    /// <summary>The folder holding Gateway.sln above the binaries, else the current folder's.</summary>
    public static string RepositoryRoot() =>
        Gateway.Testing.Repository.RepositoryRoot.TryFind()
            ?? throw new BenchUsageException("no folder above the binaries or the current folder holds Gateway.sln: give --out DIR");
}
