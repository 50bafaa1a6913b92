using System.Diagnostics;
using System.Globalization;

namespace Gateway.Bench.Crypto;

/// <summary>
/// The same primitives measured by <c>openssl speed</c> (single thread, machine-readable <c>-mr</c> output) in the same
/// run: ECDH P-256 derive, ECDSA P-256 sign/verify, RSA-3072 private/public, and AES-256-GCM and SHA-256 throughput
/// at each payload size.
/// </summary>
internal static class OpenSslSpeed
{
    public static OpenSslResults Run(int seconds, IReadOnlyList<int> sizes, CancellationToken cancellationToken)
    {
        var secondsText = seconds.ToString(CultureInfo.InvariantCulture);
        var publicKey = Speed(cancellationToken, "-mr", "-seconds", secondsText, "ecdhp256", "ecdsap256", "rsa3072");
        var aes = new Dictionary<int, double>();
        var sha = new Dictionary<int, double>();
        foreach (var size in sizes)
        {
            var bytes = size.ToString(CultureInfo.InvariantCulture);
            aes[size] = BytesPerSecond(Speed(cancellationToken, "-mr", "-seconds", secondsText, "-evp", "aes-256-gcm", "-bytes", bytes));
            sha[size] = BytesPerSecond(Speed(cancellationToken, "-mr", "-seconds", secondsText, "-evp", "sha256", "-bytes", bytes));
        }

        // +F2:index:bits:private-ops/s:public-ops/s  +F4:index:bits:sign/s:verify/s  +F5:index:bits:ops/s:seconds/op
        var rsa = Fields(publicKey, "+F2:");
        var ecdsa = Fields(publicKey, "+F4:");
        var ecdh = Fields(publicKey, "+F5:");
        return new OpenSslResults
        {
            Version = Version(),
            Command = $"openssl speed -mr -seconds {seconds} ecdhp256 ecdsap256 rsa3072; openssl speed -mr -seconds {seconds} -evp aes-256-gcm|sha256 -bytes N",
            EcdhP256PerSecond = Number(ecdh[3]),
            EcdsaP256SignPerSecond = Number(ecdsa[3]),
            EcdsaP256VerifyPerSecond = Number(ecdsa[4]),
            Rsa3072PrivatePerSecond = Number(rsa[3]),
            Rsa3072PublicPerSecond = Number(rsa[4]),
            Aes256GcmBytesPerSecond = aes,
            Sha256BytesPerSecond = sha,
        };
    }

    private static string[] Fields(string output, string prefix) =>
        output.Split('\n').FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))?.Trim().Split(':')
            ?? throw new InvalidOperationException($"openssl speed printed no {prefix} line:\n{output}");

    /// <summary><c>+F:index:NAME:bytes/s</c> for the one size asked for.</summary>
    private static double BytesPerSecond(string output) => Number(Fields(output, "+F:")[^1]);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Version()
    {
        var output = Exec(CancellationToken.None, "version");
        return output.Trim();
    }

    private static string Speed(CancellationToken cancellationToken, params string[] arguments) => Exec(cancellationToken, ["speed", .. arguments]);

    private static string Exec(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("openssl is not installed (apt-get install openssl): the comparison needs it", exception);
        }

        using (process)
        using (cancellationToken.Register(() => process.Kill()))
        {
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            return process.ExitCode == 0
                ? output
                : throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}");
        }
    }
}

/// <summary>What <c>openssl speed</c> measured: operations per second, and bytes per second by payload size.</summary>
internal sealed record OpenSslResults
{
    public required string Version { get; init; }

    public required string Command { get; init; }

    public required double EcdhP256PerSecond { get; init; }

    public required double EcdsaP256SignPerSecond { get; init; }

    public required double EcdsaP256VerifyPerSecond { get; init; }

    public required double Rsa3072PrivatePerSecond { get; init; }

    public required double Rsa3072PublicPerSecond { get; init; }

    public required IReadOnlyDictionary<int, double> Aes256GcmBytesPerSecond { get; init; }

    public required IReadOnlyDictionary<int, double> Sha256BytesPerSecond { get; init; }
}
