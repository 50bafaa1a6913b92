using System.ComponentModel;
using System.Diagnostics;

namespace Gateway.Tests.Crypto;

/// <summary>
/// Runs the <c>openssl</c> command line, the reference CMS implementation partners are expected to use (DESIGN §3),
/// as a separate process: arguments passed one by one, output captured, a bounded wait.
/// </summary>
internal static class OpenSsl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <c>openssl cms ...</c> and fails the test, with OpenSSL's stderr, unless it exits with 0.</summary>
    public static async Task<OpenSslResult> CmsAsync(string workingDirectory, params string[] arguments)
    {
        var result = await RunAsync(workingDirectory, ["cms", .. arguments]);
        Assert.True(
            result.ExitCode == 0,
            $"openssl cms {string.Join(' ', arguments)} exited with {result.ExitCode}:{Environment.NewLine}{result.StandardError}");
        return result;
    }

    public static async Task<OpenSslResult> RunAsync(string workingDirectory, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException("The openssl command is not on PATH; install it (Debian: apt-get install openssl).", exception);
        }

        // Nothing is ever piped in: a command that waits for stdin must see end-of-file, not hang.
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"openssl {string.Join(' ', startInfo.ArgumentList)} did not finish within {Timeout.TotalSeconds} s");
        }

        return new OpenSslResult(process.ExitCode, await standardOutput, await standardError);
    }
}
