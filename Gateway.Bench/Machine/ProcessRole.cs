namespace Gateway.Bench.Machine;

/// <summary>
/// A part of the system under test whose CPU and memory are followed: one process (a gateway node, this tool), or a
/// server process with its children (PostgreSQL's postmaster and backends, RabbitMQ's Erlang VM), optionally only the
/// children whose command line holds a text (a PostgreSQL backend shows its database in its process title).
/// </summary>
internal sealed record ProcessRole(string Name, int ProcessId, bool WithChildren = false, string? ChildCommandLineContains = null)
{
    public bool Matches(int pid, int parentId, Func<string> commandLine) =>
        ChildCommandLineContains is { } text
            ? parentId == ProcessId && commandLine().Contains(text, StringComparison.Ordinal)
            : pid == ProcessId || (WithChildren && parentId == ProcessId);
}
