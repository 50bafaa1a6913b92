using System.Diagnostics;

namespace Gateway.Bench.EndToEnd;

/// <summary>
/// RabbitMQ and PostgreSQL for the run: the caller's (<c>RABBITMQ_URI</c>, <c>POSTGRES_CONNECTION</c>) when set, else
/// the project's own instances from <c>deploy/local/</c> (DESIGN §12), started when they do not run and stopped
/// afterwards only if this run started them, as test.sh does.
/// </summary>
internal sealed class LocalServices : IAsyncDisposable
{
    private readonly string _root;
    private readonly List<string> _started = [];

    private LocalServices(string root) => _root = root;

    public required Uri RabbitMq { get; init; }

    public required string Postgres { get; init; }

    /// <summary>Which of them this run started (and will stop).</summary>
    public IReadOnlyList<string> Started => _started;

    public static async Task<LocalServices> EnsureAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var started = new List<string>();
        var rabbit = await VariableOrScriptAsync(repositoryRoot, "rabbitmq", "RABBITMQ_URI", started, cancellationToken);
        var postgres = await VariableOrScriptAsync(repositoryRoot, "postgres", "POSTGRES_CONNECTION", started, cancellationToken);
        var services = new LocalServices(repositoryRoot) { RabbitMq = new Uri(rabbit), Postgres = postgres };
        services._started.AddRange(started);
        return services;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _started)
        {
            Console.WriteLine($"e2e: stopping {service} (this run started it)");
            var (exitCode, output) = await RunAsync(_root, service, "stop", CancellationToken.None);
            if (exitCode != 0)
            {
                Console.Error.WriteLine($"e2e: could not stop {service}: {output}");
            }
        }
    }

    private static async Task<string> VariableOrScriptAsync(string root, string service, string variable, List<string> started, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
        {
            Console.WriteLine($"e2e: {variable} is set: using the caller's {service}");
            return value;
        }

        if ((await RunAsync(root, service, "status", cancellationToken)).ExitCode != 0)
        {
            Console.WriteLine($"e2e: starting {service} with deploy/local/{service}.sh (stopped again at the end)");
            var (exitCode, output) = await RunAsync(root, service, "start", cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"deploy/local/{service}.sh start exited with {exitCode}:\n{output}");
            }

            started.Add(service);
        }
        else
        {
            Console.WriteLine($"e2e: {service} already runs: using it and leaving it running");
        }

        var (envExit, env) = await RunAsync(root, service, "env", cancellationToken);
        var line = env.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(text => text.StartsWith($"export {variable}=", StringComparison.Ordinal));
        return envExit == 0 && line is not null
            ? line[$"export {variable}=".Length..].Trim('"')
            : throw new InvalidOperationException($"deploy/local/{service}.sh env printed no {variable}:\n{env}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string root, string service, string command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = root };
        start.ArgumentList.Add(Path.Combine(root, "deploy", "local", $"{service}.sh"));
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
