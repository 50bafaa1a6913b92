using System.Diagnostics;
using Gateway.Testing.Nodes;
using Gateway.Testing.Ports;

namespace Gateway.Tests.Cli;

[Trait("Category", "Cli")]
public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_with_a_dev_pki_serves_the_node_on_the_ports_of_its_peers_json()
    {
        using var temp = new TempDirectory();
        var basePort = FreePorts.FindBase(4);
        Assert.Equal(0, CliRunner.Run("pki", "init-dev", "--out", temp.File("pki"), "--nodes", "EE-SKA,FI-NRM", "--base-port", basePort.ToString()).ExitCode);
        using var process = GatewayProcess.Start(
            new Dictionary<string, string?> { ["RABBITMQ_URI"] = null, ["POSTGRES_CONNECTION"] = null },
            "run", "--pki", temp.File("pki"), "--node", "FI-NRM", "--data-dir", temp.File("data"));
        try
        {
            // The internal listener is TLS with a certificate from FI-NRM's internal CA; health needs no client certificate.
            var internalCa = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(
                Gateway.Crypto.DevPki.DevPkiLayout.InternalCaFile(temp.File("pki"), "FI-NRM"));
            using var handler = new SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(internalCa);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
            };
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
            var ready = await PollAsync(http, $"https://localhost:{basePort + 3}/health/ready", TimeSpan.FromSeconds(60));

            Assert.True(ready, "FI-NRM's internal listener did not answer /health/ready over TLS");
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public void Run_with_a_pki_but_no_node_exits_2_saying_which_option_is_missing()
    {
        using var temp = new TempDirectory();

        var result = CliRunner.Run("run", "--pki", temp.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--pki needs --node", result.Error);
    }

    private static async Task<bool> PollAsync(HttpClient http, string url, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting.
            }

            await Task.Delay(200);
        }

        return false;
    }
}
