using System.Diagnostics;
using System.Net.Sockets;
using Gateway.Testing.Repository;
using Gateway.Testing.Scripts;

namespace Gateway.Testing.Services;

/// <summary>The project's own scripts in <c>deploy/local/</c> that start and stop RabbitMQ and PostgreSQL (DESIGN §12).</summary>
public static class LocalServices
{
    public static string Script(string name) => RepositoryRoot.PathOf("deploy", "local", name);

    /// <summary>Runs <c>bash deploy/local/SCRIPT ARGS</c>; returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string script, TimeSpan timeout, params string[] arguments) =>
        RunAsync(script, timeout, arguments, CancellationToken.None);

    /// <inheritdoc cref="RunAsync(string, TimeSpan, string[])"/>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, TimeSpan timeout, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Script(script);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing");
        }

        var result = await BashScript.RunAsync(path, timeout, arguments, cancellationToken);
        return (result.ExitCode, result.Output + result.Error);
    }

    /// <summary>Runs a script command that must succeed.</summary>
    public static Task<string> RequireAsync(string script, TimeSpan timeout, params string[] arguments) =>
        RequireAsync(script, timeout, arguments, CancellationToken.None);

    /// <inheritdoc cref="RequireAsync(string, TimeSpan, string[])"/>
    public static async Task<string> RequireAsync(string script, TimeSpan timeout, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(script, timeout, arguments, cancellationToken);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
    }

    /// <summary>The <c>export NAME=value</c> lines a script's <c>env</c> command prints, as a dictionary.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentOfAsync(string script, CancellationToken cancellationToken = default)
    {
        var output = await RequireAsync(script, TimeSpan.FromSeconds(30), ["env"], cancellationToken);
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
