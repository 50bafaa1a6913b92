using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Tests.Federation;

namespace Gateway.Tests.Cli;

/// <summary><c>peers check</c> from EE-SKA's point of view, against real nodes of a dev federation on loopback.</summary>
[Trait("Category", "Cli")]
public sealed class PeersCheckCommandTests
{
    private const string Estonia = "EE-SKA";
    private const string Finland = "FI-NRM";
    private const string Shelter = "LV-NGO-SAFEHOUSE";

    [Fact]
    public async Task With_every_peer_running_each_is_reached_over_mutual_TLS_and_the_check_exits_0()
    {
        await using var federation = TestFederation.Create(Estonia, Finland, Shelter);
        await federation.StartAsync(federation.OptionsFor(Finland));
        await federation.StartAsync(federation.OptionsFor(Shelter));

        var result = Check(federation);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches($@"^OK   {Finland} reachability: GET https://localhost:\d+/peer/v1/health answered 200 in \d+ ms", Line(result, $"{Finland} reachability"));
        Assert.Matches($@"^OK   {Shelter} reachability: GET https://localhost:\d+/peer/v1/health answered 200 in \d+ ms", Line(result, $"{Shelter} reachability"));
        Assert.EndsWith(" 0 warnings, 0 failures", Lines(result)[^1]);
        Assert.All(Lines(result)[..^1], line => Assert.Matches("^(OK  |WARN|FAIL) ", line));
        Assert.DoesNotContain("PRIVATE KEY", result.Output);
    }

    [Fact]
    public async Task A_peer_that_is_not_running_is_a_FAIL_saying_connection_refused_and_the_check_exits_1()
    {
        await using var federation = TestFederation.Create(Estonia, Finland);

        var result = Check(federation);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"FAIL {Finland} reachability:", Line(result, $"{Finland} reachability"));
        Assert.Contains("connection refused", Line(result, $"{Finland} reachability"));
        Assert.EndsWith(" 1 failures", Lines(result)[^1]);
    }

    [Fact]
    public async Task A_peer_serving_another_TLS_certificate_than_the_one_it_registered_fails_the_TLS_handshake()
    {
        await using var federation = TestFederation.Create(Estonia, Finland);
        using var other = federation.Dev.Authorities["FI"].Issue(Request($"CN={Finland} tls, O={Finland}, C=FI", X509KeyUsageFlags.DigitalSignature, TimeSpan.FromDays(365)) with
        {
            ExtendedKeyUsages = [Gateway.Crypto.Oids.ServerAuth, Gateway.Crypto.Oids.ClientAuth],
        });
        Register(federation, Finland, "tls", other);
        await federation.StartAsync(federation.OptionsFor(Finland));

        var result = Check(federation);

        Assert.Equal(1, result.ExitCode);
        var reachability = Line(result, $"{Finland} reachability");
        Assert.StartsWith($"FAIL {Finland} reachability:", reachability);
        Assert.Contains($"TLS handshake failed — server certificate not the one registered for {Finland}", reachability);
    }

    [Fact]
    public async Task A_peer_endpoint_answered_by_another_peer_fails_naming_whose_TLS_certificate_it_is()
    {
        await using var federation = TestFederation.Create(Estonia, Finland, Shelter);
        federation.RouteThrough(Estonia, Finland, federation.PeerPortOf(Shelter));
        await federation.StartAsync(federation.OptionsFor(Shelter));

        var result = Check(federation);

        Assert.Equal(1, result.ExitCode);
        var reachability = Line(result, $"{Finland} reachability");
        Assert.StartsWith($"FAIL {Finland} reachability:", reachability);
        Assert.Contains($"not the one registered for {Finland}: it is the TLS certificate registered for {Shelter}", reachability);
        Assert.StartsWith($"OK   {Shelter} reachability:", Line(result, $"{Shelter} reachability"));
    }

    [Fact]
    public async Task A_peer_certificate_expiring_within_warn_days_is_a_WARN_naming_peer_role_and_days_and_not_a_failure()
    {
        await using var federation = TestFederation.Create(Estonia, Finland);
        using var expiring = federation.Dev.Authorities["FI"].Issue(
            Request($"CN={Finland} signing, O={Finland}, C=FI", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, TimeSpan.FromDays(5) + TimeSpan.FromHours(1)));
        Register(federation, Finland, "signing", expiring);
        await federation.StartAsync(federation.OptionsFor(Finland));

        var result = Check(federation, "--warn-days", "30");

        Assert.Equal(0, result.ExitCode);
        var signing = Line(result, $"{Finland} signing[0]");
        Assert.StartsWith($"WARN {Finland} signing[0]:", signing);
        Assert.Contains("expires in 5 days", signing);
        Assert.EndsWith(" 1 warnings, 0 failures", Lines(result)[^1]);
    }

    [Fact]
    public async Task An_expired_certificate_beside_a_valid_one_of_the_same_role_is_a_WARN_as_in_a_rotation()
    {
        await using var federation = TestFederation.Create(Estonia, Finland);
        using var expired = federation.Dev.Authorities["FI"].Issue(
            Request($"CN={Finland} signing, O={Finland}, C=FI", X509KeyUsageFlags.DigitalSignature, TimeSpan.FromDays(30)) with
            {
                NotBefore = DateTimeOffset.UtcNow.AddDays(-30),
                NotAfter = DateTimeOffset.UtcNow.AddDays(-1),
            });
        Register(federation, Finland, "signing", federation.Dev.Node(Finland).Signing, expired);

        var result = Check(federation);

        Assert.StartsWith($"OK   {Finland} signing[0]:", Line(result, $"{Finland} signing[0]"));
        var old = Line(result, $"{Finland} signing[1]");
        Assert.StartsWith($"WARN {Finland} signing[1]:", old);
        Assert.Contains("the other signing certificate covers the role now", old);
    }

    [Fact]
    public async Task A_peers_json_with_a_wrong_pin_is_a_FAIL_naming_the_field_and_the_check_exits_1()
    {
        await using var federation = TestFederation.Create(Estonia, Finland);
        EditPeersJson(federation, document => document["peers"]![0]!["tls"]![0]!["pin"] = Convert.ToBase64String(new byte[32]));

        var result = Check(federation);

        Assert.Equal(1, result.ExitCode);
        var registry = Line(result, $"{Estonia} (this node) peers.json");
        Assert.StartsWith("FAIL ", registry);
        Assert.Contains("peers[0].tls[0].pin: does not match", registry);
    }

    [Fact]
    public void Without_pki_node_or_a_configuration_the_check_exits_2()
    {
        var result = CliRunner.Run("peers", "check");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("give --pki and --node", result.Error);
    }

    private static CliResult Check(TestFederation federation, params string[] extra) =>
        CliRunner.Run(["peers", "check", "--pki", federation.Pki, "--node", Estonia, "--data-dir", Path.Combine(federation.Directory, "check"), .. extra]);

    private static string[] Lines(CliResult result) => result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The one line about <paramref name="subject"/>; fails the test with the whole output when there is not exactly one.</summary>
    private static string Line(CliResult result, string subject)
    {
        var lines = Lines(result).Where(line => line.Length > 5 && line[5..].StartsWith(subject + ":", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"expected one line about {subject}, got {lines.Count}:\n{result.Output}{result.Error}");
        return lines[0];
    }

    private static DevCertificateRequest Request(string subject, X509KeyUsageFlags usage, TimeSpan lifetime) => new()
    {
        Subject = subject,
        KeyUsage = usage,
        DnsNames = ["localhost"],
        NotBefore = DateTimeOffset.UtcNow.AddHours(-1),
        NotAfter = DateTimeOffset.UtcNow + lifetime,
    };

    /// <summary>Makes <paramref name="certificates"/> what EE-SKA's peers.json lists for the peer's role, with their pins recomputed.</summary>
    private static void Register(TestFederation federation, string peerId, string role, params X509Certificate2[] certificates) =>
        EditPeersJson(federation, document =>
        {
            var peer = document["peers"]!.AsArray().Single(node => (string?)node!["id"] == peerId)!;
            peer[role] = new JsonArray([.. certificates.Select(certificate => new JsonObject
            {
                ["certificate"] = certificate.ExportCertificatePem(),
                ["pin"] = SpkiPin.Of(certificate),
            })]);
        });

    private static void EditPeersJson(TestFederation federation, Action<JsonNode> edit)
    {
        var file = DevPkiLayout.PeersFile(federation.Pki, Estonia);
        var document = JsonNode.Parse(File.ReadAllText(file))!;
        edit(document);
        File.WriteAllText(file, document.ToJsonString());
    }
}
