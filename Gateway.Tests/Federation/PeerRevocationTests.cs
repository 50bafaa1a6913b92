using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Contracts.Envelopes;
using Gateway.Crypto;
using Gateway.Crypto.DevPki;
using Gateway.Tests.Hostile;
using Xunit.Abstractions;

namespace Gateway.Tests.Federation;

/// <summary>
/// Revocation at a running FI-NRM's peer endpoint (issue #18, DESIGN §17): EE-SKA's TLS certificate is refused as soon as
/// the CRL that applies lists it — the newest of EE's CRLs, whatever the order of the files, read again when a file
/// changes, without a restart — and a CRL past its nextUpdate and grace period refuses every EE certificate.
/// </summary>
[Trait("Category", "Peering")]
public sealed class PeerRevocationTests(PeerEndpointFixture node, ITestOutputHelper output) : IClassFixture<PeerEndpointFixture>
{
    private const string Estonia = PeerEndpointFixture.Estonia;

    /// <summary>A changed file is seen by the watch within a second; the poll that would also find it runs every 30 s.</summary>
    private static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(10);

    private DevCertificateAuthority EstonianCa => node.Federation.Dev.Authorities["EE"];

    private X509Certificate2 EstonianTls => node.Federation.Dev.Node(Estonia).Tls;

    [Theory]
    [InlineData("older first")]
    [InlineData("newer first")]
    public async Task Two_CRL_files_of_one_issuer_refuse_the_peer_the_newer_one_revokes_with_403_CERTIFICATE_REVOKED_whichever_is_listed_first(string order)
    {
        var now = DateTimeOffset.UtcNow;
        var older = await WriteCrlAsync("older.crl", EstonianCa.CreateCrl([], now.AddDays(-2), now.AddDays(5)));
        var newer = await WriteCrlAsync("newer.crl", EstonianCa.CreateCrl([EstonianTls], now.AddDays(-1), now.AddDays(6)));
        await using var finland = await StartFinlandWithCrlsAsync(order == "older first" ? [older, newer] : [newer, older]);

        var answer = await PostAsync(finland, PeerEndpointFixture.PayloadFrom(Estonia));

        Assert.Equal(Refusal(HttpStatusCode.Forbidden, EnvelopeErrorCodes.CertificateRevoked), answer);
    }

    [Fact]
    public async Task A_CRL_past_its_nextUpdate_and_grace_period_refuses_the_peer_with_403_REVOCATION_UNKNOWN()
    {
        var now = DateTimeOffset.UtcNow;
        var stale = await WriteCrlAsync("ee.crl", EstonianCa.CreateCrl([], now.AddDays(-8), now.AddHours(-2)));
        await using var finland = await StartFinlandWithCrlsAsync([stale], grace: TimeSpan.FromHours(1));

        var answer = await PostAsync(finland, PeerEndpointFixture.PayloadFrom(Estonia));

        Assert.Equal(Refusal(HttpStatusCode.Forbidden, EnvelopeErrorCodes.RevocationUnknown), answer);
    }

    [Fact]
    public async Task A_stale_CRL_is_an_ALERT_in_the_log_and_a_time_to_refusal_in_the_metrics_while_its_grace_period_runs()
    {
        var now = DateTimeOffset.UtcNow;
        var stale = await WriteCrlAsync("ee.crl", EstonianCa.CreateCrl([], now.AddDays(-8), now.AddHours(-1)));
        var log = new CapturedLog();
        await using var finland = await StartFinlandWithCrlsAsync([stale], grace: TimeSpan.FromHours(3), log);

        var alert = await log.WaitForAsync(ReloadDeadline, "ALERT: the CRL of", "EE Development CA", stale, "refused from");
        using var operatorApi = finland.ApiWith(DevPkiLayout.LoadClientCertificate(node.Federation.Pki, PeerEndpointFixture.Finland, DevClientRoles.Operator));
        var metrics = await operatorApi.GetStringAsync("/metrics");

        Assert.NotNull(alert);
        var sample = metrics.Split('\n').Single(line => line.StartsWith("gateway_crl_time_to_refusal_seconds{", StringComparison.Ordinal) && line.Contains("EE Development CA", StringComparison.Ordinal));
        var secondsLeft = double.Parse(sample[(sample.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(secondsLeft, TimeSpan.FromHours(1.9).TotalSeconds, TimeSpan.FromHours(2).TotalSeconds);
        Assert.Equal(200, (await PostAsync(finland, PeerEndpointFixture.PayloadFrom(Estonia))).Status);
    }

    [Fact]
    public async Task A_CRL_file_replaced_while_the_node_runs_refuses_the_now_revoked_peer_without_a_restart()
    {
        var now = DateTimeOffset.UtcNow;
        var crlFile = await WriteCrlAsync("ee.crl", EstonianCa.CreateCrl([], now.AddMinutes(-5), now.AddDays(7)));
        await using var finland = await StartFinlandWithCrlsAsync([crlFile]);
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var envelope = node.Seal(payload, Estonia);
        Assert.Equal(200, (await PostAsync(finland, envelope, payload.Header)).Status);

        await File.WriteAllBytesAsync(crlFile, EstonianCa.CreateCrl([EstonianTls], now.AddMinutes(-1), now.AddDays(7)));
        var clock = Stopwatch.StartNew();
        var answer = await PostUntilRefusedAsync(finland, envelope, payload.Header);

        output.WriteLine($"refused {clock.Elapsed.TotalSeconds:F1} s after the file was replaced");
        Assert.Equal(Refusal(HttpStatusCode.Forbidden, EnvelopeErrorCodes.CertificateRevoked), answer);
    }

    [Fact]
    public async Task A_broken_CRL_file_written_while_the_node_runs_keeps_the_previous_CRLs_and_raises_an_ALERT_naming_the_file()
    {
        var now = DateTimeOffset.UtcNow;
        var crlFile = await WriteCrlAsync("ee.crl", EstonianCa.CreateCrl([EstonianTls], now.AddMinutes(-5), now.AddDays(7)));
        var log = new CapturedLog();
        await using var finland = await StartFinlandWithCrlsAsync([crlFile], log: log);
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        Assert.Equal(Refusal(HttpStatusCode.Forbidden, EnvelopeErrorCodes.CertificateRevoked), await PostAsync(finland, payload));

        await File.WriteAllTextAsync(crlFile, "-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n");
        var alert = await log.WaitForAsync(ReloadDeadline, "ALERT: the CRL file", crlFile, "the CRLs read from it before still apply");

        Assert.NotNull(alert);
        Assert.Equal(Refusal(HttpStatusCode.Forbidden, EnvelopeErrorCodes.CertificateRevoked), await PostAsync(finland, payload));
    }

    private static PeerAnswer Refusal(HttpStatusCode status, string code) => new((int)status, code, PeerAnswer.ProblemMediaType);

    private Task<GatewayNode> StartFinlandWithCrlsAsync(string[] crlFiles, TimeSpan? grace = null, CapturedLog? log = null) =>
        node.StartAnotherFinlandAsync(
            configure: options =>
            {
                options.Node.CrlFiles = [.. crlFiles];
                options.Node.CrlGracePeriod = grace ?? options.Node.CrlGracePeriod;
            },
            replaceServices: log is null ? null : log.AddTo);

    /// <summary>A CRL file in a folder of this test's own, so one test's changes wake no other node's watch.</summary>
    private async Task<string> WriteCrlAsync(string name, byte[] crl)
    {
        var folder = Directory.CreateDirectory(Path.Combine(node.Federation.Directory, "crl-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var file = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(file, crl);
        return file;
    }

    private Task<PeerAnswer> PostAsync(GatewayNode finland, EnvelopePayload payload) => PostAsync(finland, node.Seal(payload, Estonia), payload.Header);

    /// <summary>EE-SKA delivers the envelope to <paramref name="finland"/> over mutual TLS with its registered certificate.</summary>
    private async Task<PeerAnswer> PostAsync(GatewayNode finland, byte[] envelope, EnvelopeHeader header)
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        using var request = PeerEndpointFixture.EnvelopeRequest(envelope, header);
        request.RequestUri = finland.PeerEndpoint;
        using var response = await client.SendAsync(request);
        return await PeerAnswer.ReadAsync(response);
    }

    /// <summary>Delivers the same bytes again (accepted ones get their receipt again) until they are refused or the deadline passes.</summary>
    private async Task<PeerAnswer> PostUntilRefusedAsync(GatewayNode finland, byte[] envelope, EnvelopeHeader header)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await PostAsync(finland, envelope, header);
            if (answer.Status != 200 || clock.Elapsed > ReloadDeadline)
            {
                return answer;
            }

            await Task.Delay(100);
        }
    }
}
