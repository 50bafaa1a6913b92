using System.Text.Json;

namespace Gateway.Tests.Faults;

/// <summary><c>fault-results.jsonl</c> in the test output folder: emptied once per test run, one line appended per scenario.</summary>
public sealed class FaultResultsFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();

    public FaultResultsFile() => File.WriteAllText(Path, string.Empty);

    public string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "fault-results.jsonl");

    internal string Append(FaultResult result)
    {
        var line = JsonSerializer.Serialize(result, Json);
        lock (_gate)
        {
            File.AppendAllText(Path, line + "\n");
        }

        return line;
    }
}
