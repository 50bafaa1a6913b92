using System.Diagnostics;
using Gateway.Testing.Repository;

namespace Gateway.Testing.Scripts;

/// <summary>Runs the project's shell scripts as CI does (no stdin, from the repository root), with a time limit.</summary>
public static class BashScript
{
    /// <summary>Runs <c>bash PATH ARGS</c>; returns its exit code and what it wrote to each stream. Killed, with its children, at the deadline.</summary>
    public static Task<ScriptResult> RunAsync(string path, TimeSpan timeout, params string[] arguments) =>
        RunAsync(path, timeout, arguments, CancellationToken.None);

    /// <summary>
    /// Runs <c>bash PATH ARGS</c>; returns its exit code and what it wrote to each stream. Killed, with its children, at
    /// the deadline (<see cref="Timeout.InfiniteTimeSpan"/> for none) or when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public static async Task<ScriptResult> RunAsync(string path, TimeSpan timeout, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Find(),
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"bash {path} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(path)} {string.Join(' ', arguments)} did not finish in {timeout.TotalSeconds} s");
        }

        return new ScriptResult(process.ExitCode, await output, await error);
    }
}
