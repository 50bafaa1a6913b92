using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Gateway.Tests.Federation;
using Gateway.Service.Node;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Operations;

/// <summary>
/// Rotation without downtime (DESIGN §2): FI-NRM adds a new encryption certificate beside the old one, partners
/// switch to it, and the old one is removed — every message in every phase delivered, none failed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CertificateRotationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_peer_adds_a_new_encryption_certificate_switches_to_it_and_removes_the_old_one_with_no_failed_delivery()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var oldCertificate = federation.Dev.Node("FI-NRM").Encryption;
        using var newCertificate = federation.Dev.Authorities["FI"].Issue(new DevCertificateRequest
        {
            Subject = "CN=FI-NRM encryption 2, O=FI-NRM, C=FI",
            KeyUsage = X509KeyUsageFlags.KeyAgreement,
            NotBefore = DateTimeOffset.UtcNow.AddMinutes(-1),
            NotAfter = DateTimeOffset.UtcNow.AddYears(1),
        });
        var newFiles = WritePair(federation.Directory, "fi-enc-2", newCertificate);
        var oldFiles = new CertificateKeyFiles { CertificateFile = federation.OptionsFor("FI-NRM").Node.EncryptionCertificateFile, KeyFile = federation.OptionsFor("FI-NRM").Node.EncryptionKeyFile };
        var sent = new List<Guid>();

        // Phase 0: the old certificate only.
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var finland = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        sent.AddRange(await SendAndDeliverAsync(estonia, 3));

        // Phase 1: FI-NRM can decrypt with both keys, then announces the new certificate beside the old one.
        await finland.StopAsync();
        var both = federation.OptionsFor("FI-NRM");
        both.Node.AdditionalDecryptionKeys = [newFiles];
        finland = await federation.StartAsync(both);
        SetEncryptionCertificates(federation, "EE-SKA", "FI-NRM", oldCertificate, newCertificate);
        await estonia.StopAsync();
        estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        Assert.Equal(newCertificate.Thumbprint, estonia.Identity.Peers.Find("FI-NRM")!.CurrentEncryptionCertificate(DateTimeOffset.UtcNow).Thumbprint);
        sent.AddRange(await SendAndDeliverAsync(estonia, 3));

        // Phase 2: FI-NRM makes the new key its own and keeps the old one only to read what may still be on its way.
        await finland.StopAsync();
        var switched = federation.OptionsFor("FI-NRM");
        switched.Node.EncryptionCertificateFile = newFiles.CertificateFile;
        switched.Node.EncryptionKeyFile = newFiles.KeyFile;
        switched.Node.AdditionalDecryptionKeys = [oldFiles];
        finland = await federation.StartAsync(switched);
        sent.AddRange(await SendAndDeliverAsync(estonia, 3));

        // Phase 3: the old certificate is removed on both sides.
        SetEncryptionCertificates(federation, "EE-SKA", "FI-NRM", newCertificate);
        await estonia.StopAsync();
        estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        await finland.StopAsync();
        switched.Node.AdditionalDecryptionKeys = [];
        finland = await federation.StartAsync(switched);
        sent.AddRange(await SendAndDeliverAsync(estonia, 3));

        Assert.Equal(12, sent.Distinct().Count());
        foreach (var id in sent)
        {
            Assert.Equal(DeliveryState.Delivered, (await estonia.StatusAsync(id)).State);
        }

        Assert.Equal(12, await finland.Stores.Inbox.CountAsync(CancellationToken.None));
        Assert.DoesNotContain((await estonia.Stores.Sent.CountByStateAsync(CancellationToken.None)).Keys, state => state == DeliveryState.Failed);
    }

    private static async Task<IReadOnlyList<Guid>> SendAndDeliverAsync(GatewayNode sender, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var accepted = await sender.ConsultAsync("FI-NRM");
            var status = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);
            Assert.True(status.State == DeliveryState.Delivered, $"{accepted.MessageId}: {status.State} {status.LastError}");
            ids.Add(accepted.MessageId);
        }

        return ids;
    }

    /// <summary>Rewrites the peer's encryption certificates in <paramref name="nodeId"/>'s peers.json, pins recomputed.</summary>
    private static void SetEncryptionCertificates(TestFederation federation, string nodeId, string peerId, params X509Certificate2[] certificates)
    {
        var file = DevPkiLayout.PeersFile(federation.Pki, nodeId);
        var document = JsonNode.Parse(File.ReadAllText(file))!;
        var peer = document["peers"]!.AsArray().Single(node => (string?)node!["id"] == peerId)!;
        peer["encryption"] = new JsonArray([.. certificates.Select(certificate => (JsonNode)new JsonObject
        {
            ["certificate"] = certificate.ExportCertificatePem(),
            ["pin"] = SpkiPin.Of(certificate),
        })]);
        File.WriteAllText(file, document.ToJsonString());
    }

    private static CertificateKeyFiles WritePair(string directory, string name, X509Certificate2 certificate)
    {
        var files = new CertificateKeyFiles { CertificateFile = Path.Combine(directory, name + ".crt"), KeyFile = Path.Combine(directory, name + ".key") };
        File.WriteAllText(files.CertificateFile, certificate.ExportCertificatePem());
        using var key = certificate.GetECDiffieHellmanPrivateKey() ?? throw new InvalidOperationException("no EC key");
        File.WriteAllText(files.KeyFile, key.ExportPkcs8PrivateKeyPem());
        return files;
    }
}
