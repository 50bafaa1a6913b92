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

    /// <summary>
    /// What a partner with only OpenSSL sends: <c>openssl cms -sign</c> of the payload with the signer's files, then
    /// <c>openssl cms -encrypt</c> of that signed DER, which it takes as opaque content (id-data), with the cipher and the
    /// recipient arguments given (<c>-keyopt</c> applies to the <c>-recip</c> before it).
    /// </summary>
    public static async Task<byte[]> SignAndEncryptAsync(
        string workingDirectory, byte[] payload, string signerCertificate, string signerKey, string cipher, IEnumerable<string> recipient, string digest = "sha256")
    {
        await File.WriteAllBytesAsync(Path.Combine(workingDirectory, "payload.json"), payload);
        await CmsAsync(
            workingDirectory, "-sign", "-binary", "-nodetach", "-md", digest, "-outform", "DER",
            "-signer", signerCertificate, "-inkey", signerKey, "-in", "payload.json", "-out", "signed.der");
        await CmsAsync(workingDirectory, ["-encrypt", "-binary", "-in", "signed.der", "-outform", "DER", "-out", "env.der", cipher, .. recipient]);
        return await File.ReadAllBytesAsync(Path.Combine(workingDirectory, "env.der"));
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
