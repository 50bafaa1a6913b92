using Gateway.Contracts.Peering;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Peers;

namespace Gateway.Tests.Peering;

[Trait("Category", "Crypto")]
public sealed class PeerDirectoryTests : IDisposable
{
    private readonly DevFederation _federation = DevFederation.Create(["EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE"], EncryptionKeyKind.Ec, DateTimeOffset.UtcNow);

    [Fact]
    public void A_pin_that_does_not_match_its_certificate_stops_loading_and_names_the_field()
    {
        var registry = _federation.RegistryFor("EE-SKA");
        var broken = registry with
        {
            Peers = [registry.Peers[0], registry.Peers[1] with { Signing = [registry.Peers[1].Signing[0] with { Pin = registry.Peers[0].Signing[0].Pin }] }],
        };

        var exception = Assert.Throws<PeerRegistryException>(() => new PeerDirectory(broken));

        Assert.Equal("peers[1].signing[0].pin", exception.Field);
    }

    [Fact]
    public void A_third_certificate_for_one_role_is_refused_because_rotation_needs_at_most_two()
    {
        var registry = _federation.RegistryFor("EE-SKA");
        var entry = registry.Peers[0].Tls[0];
        var broken = registry with { Peers = [registry.Peers[0] with { Tls = [entry, entry, entry] }] };

        var exception = Assert.Throws<PeerRegistryException>(() => new PeerDirectory(broken));

        Assert.Equal("peers[0].tls", exception.Field);
    }

    [Fact]
    public void An_endpoint_that_is_not_https_is_refused()
    {
        var registry = _federation.RegistryFor("EE-SKA");
        var broken = registry with { Peers = [registry.Peers[0] with { Endpoint = new Uri("http://localhost:7402") }] };

        var exception = Assert.Throws<PeerRegistryException>(() => new PeerDirectory(broken));

        Assert.Equal("peers[0].endpoint", exception.Field);
    }

    [Fact]
    public void The_same_peer_listed_twice_is_refused()
    {
        var registry = _federation.RegistryFor("EE-SKA");
        var broken = registry with { Peers = [registry.Peers[0], registry.Peers[0]] };

        var exception = Assert.Throws<PeerRegistryException>(() => new PeerDirectory(broken));

        Assert.Contains("FI-NRM is listed more than once", exception.Message);
    }

    [Fact]
    public void A_trust_anchor_that_is_not_PEM_is_refused_naming_the_field()
    {
        var registry = _federation.RegistryFor("EE-SKA");
        var broken = registry with { Peers = [registry.Peers[0] with { TrustAnchor = "not a certificate" }] };

        var exception = Assert.Throws<PeerRegistryException>(() => new PeerDirectory(broken));

        Assert.Equal("peers[0].trustAnchor", exception.Field);
    }

    [Fact]
    public void A_json_file_with_a_missing_required_field_names_its_path()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"self":{"id":"EE-SKA","country":"EE","peerPort":7400},"peers":[]}""");

            var exception = Assert.Throws<PeerRegistryException>(() => PeerDirectory.Load(path));

            Assert.Contains("internalPort", exception.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose() => _federation.Dispose();
}
