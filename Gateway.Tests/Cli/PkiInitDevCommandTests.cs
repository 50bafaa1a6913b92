using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.Peers;

namespace Gateway.Tests.Cli;

[Trait("Category", "Cli")]
public sealed class PkiInitDevCommandTests
{
    private static readonly string[] Nodes = ["EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE"];

    [Fact]
    public void Init_dev_writes_a_CA_per_state_and_six_PEM_files_and_peers_json_per_node()
    {
        using var temp = new TempDirectory();
        var pki = temp.File("pki");

        var result = CliRunner.Run("pki", "init-dev", "--out", pki, "--nodes", string.Join(',', Nodes));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["EE-ca.crt", "FI-ca.crt", "LV-ca.crt"], Directory.GetFiles(Path.Combine(pki, "trust")).Select(Path.GetFileName).Order());
        foreach (var node in Nodes)
        {
            Assert.Equal(
                ["enc.crt", "enc.key", "peers.json", "sign.crt", "sign.key", "tls.crt", "tls.key"],
                Directory.GetFiles(Path.Combine(pki, node)).Select(Path.GetFileName).Order());
            var keyPem = File.ReadAllText(Path.Combine(pki, node, "sign.key"));
            Assert.Equal("PRIVATE KEY", keyPem[PemEncoding.Find(keyPem).Label]); // PKCS#8, unencrypted
        }
    }

    [Fact]
    public void Init_dev_peers_json_lists_every_other_node_with_pins_that_load()
    {
        using var temp = new TempDirectory();
        var pki = temp.File("pki");
        CliRunner.Run("pki", "init-dev", "--out", pki, "--nodes", string.Join(',', Nodes));

        var directory = PeerDirectory.Load(Path.Combine(pki, "EE-SKA", "peers.json"));

        Assert.Equal("EE-SKA", directory.Self.Id);
        Assert.Equal(["FI-NRM", "LV-NGO-SAFEHOUSE"], directory.Peers.Select(peer => peer.Id));
        Assert.Equal(Gateway.Contracts.Peering.PeerKind.Ngo, directory.Find("LV-NGO-SAFEHOUSE")!.Kind);
        var finnishSigning = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "FI-NRM", "sign.crt")));
        Assert.Equal(finnishSigning.Thumbprint, directory.Find("FI-NRM")!.Signing.Single().Thumbprint);
    }

    [Fact]
    public void Init_dev_with_rsa_encryption_keys_issues_RSA_encryption_certificates()
    {
        using var temp = new TempDirectory();
        var pki = temp.File("pki");

        var result = CliRunner.Run("pki", "init-dev", "--out", pki, "--nodes", "EE-SKA,FI-NRM", "--enc-key", "rsa");

        Assert.Equal(0, result.ExitCode);
        using var encryption = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "FI-NRM", "enc.crt")));
        Assert.NotNull(encryption.GetRSAPublicKey());
        Assert.Equal(X509KeyUsageFlags.KeyEncipherment, encryption.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
    }

    [Fact]
    public void Init_dev_refuses_a_folder_that_already_holds_files_so_no_key_is_overwritten()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("existing.txt"), "keep me");

        var result = CliRunner.Run("pki", "init-dev", "--out", temp.Path, "--nodes", "EE-SKA");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not empty", result.Error);
        Assert.Equal("keep me", File.ReadAllText(temp.File("existing.txt")));
    }

    [Fact]
    public void Init_dev_names_a_node_id_that_has_no_state_prefix()
    {
        using var temp = new TempDirectory();

        var result = CliRunner.Run("pki", "init-dev", "--out", temp.File("pki"), "--nodes", "EE-SKA,shelter");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'shelter'", result.Error);
    }
}
