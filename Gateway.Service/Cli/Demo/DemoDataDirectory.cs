using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.DevPki;

namespace Gateway.Service.Cli.Demo;

/// <summary>
/// The demo's data directory: a development PKI kept across runs, and node databases made fresh on every run,
/// because a database of an earlier gateway schema is refused at start and the demo's story begins from nothing.
/// </summary>
internal sealed class DemoDataDirectory(string root)
{
    public string Root { get; } = root;

    public string Pki => Path.Combine(Root, "pki");

    public string SummaryFile => Path.Combine(Root, "demo-summary.json");

    public string NodeFolder(string nodeId) => Path.Combine(Root, nodeId);

    /// <summary>Reuses the PKI when every node's files are there and valid for a day more; otherwise writes a new one.</summary>
    public void EnsurePki(int basePort, DateTimeOffset now, TextWriter output)
    {
        if (DemoNodes.All.All(node => IsUsable(node, now)))
        {
            output.WriteLine($"Dev mode: using the development PKI in {Pki}");
            return;
        }

        using var federation = DevFederation.Create(DemoNodes.All, EncryptionKeyKind.Ec, now, basePort);
        federation.WriteTo(Pki);
        output.WriteLine($"Dev mode: generated a development PKI in {Pki} (unencrypted dev keys, never for real data)");
    }

    /// <summary>Removes what earlier runs left: each node's folder (database, content key) and the last summary.</summary>
    public void ClearRunData()
    {
        foreach (var node in DemoNodes.All)
        {
            var folder = NodeFolder(node);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            // A folder with a peers.json is a PKI (say --data-dir pointed at a 'pki init-dev' output): never delete keys.
            if (File.Exists(Path.Combine(folder, "peers.json")))
            {
                throw new InvalidOperationException($"{folder} holds a PKI (peers.json), not demo data: choose another --data-dir");
            }

            Directory.Delete(folder, recursive: true);
        }

        File.Delete(SummaryFile);
    }

    // A PKI written by an earlier gateway lacks the internal CA, the people and their certificates; an old one may have expired.
    private bool IsUsable(string node, DateTimeOffset now)
    {
        string[] certificates =
        [
            Path.Combine(DevPkiLayout.NodeFolder(Pki, node), "tls.crt"),
            Path.Combine(DevPkiLayout.NodeFolder(Pki, node), "sign.crt"),
            Path.Combine(DevPkiLayout.NodeFolder(Pki, node), "enc.crt"),
            DevPkiLayout.InternalTlsCertificateFile(Pki, node),
            DevPkiLayout.InternalCaFile(Pki, node),
            DevPkiLayout.ClientCertificateFile(Pki, node, DevClientRoles.Caseworker),
        ];
        if (!File.Exists(DevPkiLayout.PeersFile(Pki, node)) || !File.Exists(DevPkiLayout.ClientKeyFile(Pki, node, DevPeople.CaseworkerOtherUnit))
            || !File.Exists(DevPkiLayout.PeopleFile(Pki, node)) || !File.Exists(DevPkiLayout.InternalCrlFile(Pki, node)))
        {
            return false;
        }

        try
        {
            return certificates.All(file =>
            {
                if (!File.Exists(file))
                {
                    return false;
                }

                using var certificate = X509CertificateLoader.LoadCertificateFromFile(file);
                return certificate.NotAfter > now.AddDays(1).UtcDateTime;
            });
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
