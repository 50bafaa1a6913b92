using System.Diagnostics;
using System.Net.Sockets;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Faults;

/// <summary>The project's own scripts in <c>deploy/local/</c> that start and stop RabbitMQ and PostgreSQL (DESIGN §12).</summary>
internal static class LocalServices
{
    public static string RepositoryRoot => BashScript.RepositoryRoot;

    public static string Script(string name) => Path.Combine(RepositoryRoot, "deploy", "local", name);

    /// <summary>Runs <c>bash deploy/local/SCRIPT ARGS</c>; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, TimeSpan timeout, params string[] arguments)
    {
        var path = Script(script);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing");
        }

        var result = await BashScript.RunAsync(path, timeout, arguments);
        return (result.ExitCode, result.Output + result.Error);
    }

    /// <summary>Runs a script command that must succeed.</summary>
    public static async Task<string> RequireAsync(string script, TimeSpan timeout, params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(script, timeout, arguments);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
    }

    /// <summary>The <c>export NAME=value</c> lines a script's <c>env</c> command prints, as a dictionary.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentOfAsync(string script)
    {
        var output = await RequireAsync(script, TimeSpan.FromSeconds(30), "env");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('"'));
    }

    /// <summary>Starts the service when its <c>status</c> says it does not run: a scenario never leaves it stopped.</summary>
    public static async Task EnsureRunningAsync(string script)
    {
        if ((await RunAsync(script, TimeSpan.FromSeconds(60), "status")).ExitCode != 0)
        {
            await RequireAsync(script, TimeSpan.FromSeconds(180), "start");
        }
    }

    /// <summary>Waits until something accepts TCP connections on <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static async Task WaitForPortAsync(string host, int port, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.ConnectAsync(host, port, attempt.Token);
                return;
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                if (clock.Elapsed > deadline)
                {
                    throw new TimeoutException($"nothing accepts connections on {host}:{port} after {deadline.TotalSeconds} s", exception);
                }
            }

            await Task.Delay(200);
        }
    }
}
