using System.Diagnostics;

namespace Gateway.Tests.Infrastructure;

/// <summary>Runs the project's shell scripts as CI does (no stdin, from the repository root), with a time limit.</summary>
internal static class BashScript
{
    /// <summary>The folder that holds Gateway.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Runs <c>bash PATH ARGS</c>; returns its exit code and what it wrote to each stream. Killed, with its children, at the deadline.</summary>
    public static async Task<ScriptResult> RunAsync(string path, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(path)} {string.Join(' ', arguments)} did not finish in {timeout.TotalSeconds} s");
        }

        return new ScriptResult(process.ExitCode, await output, await error);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Gateway.sln");
    }
}

/// <summary>A finished script: its exit code and what it printed.</summary>
internal sealed record ScriptResult(int ExitCode, string Output, string Error);
