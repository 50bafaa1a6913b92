using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.People;
using Gateway.Contracts.Peering;
using Gateway.Crypto.Certificates;

namespace Gateway.Crypto.DevPki;

/// <summary>
/// A development federation (DESIGN §2): a CA per state, three certificates per node, each node's peers.json, and
/// per node an internal PKI for its caseworker/operator listener. A node's state is the first two letters of its id.
/// Written at run time into a folder the caller chooses.
/// </summary>
public sealed class DevFederation : IDisposable
{
    public const int DefaultBasePort = 7400;
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(5 * 365);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(365);

    private DevFederation(IReadOnlyDictionary<string, DevCertificateAuthority> authorities, IReadOnlyList<DevNode> nodes)
    {
        Authorities = authorities;
        Nodes = nodes;
    }

    /// <summary>CA per state (country code).</summary>
    public IReadOnlyDictionary<string, DevCertificateAuthority> Authorities { get; }

    public IReadOnlyList<DevNode> Nodes { get; }

    public DevNode Node(string id) => Nodes.Single(node => node.Id == id);

    public static DevFederation Create(IReadOnlyList<string> nodeIds, EncryptionKeyKind encryptionKey, DateTimeOffset now, int basePort = DefaultBasePort)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        if (nodeIds.Count == 0 || nodeIds.Distinct(StringComparer.Ordinal).Count() != nodeIds.Count)
        {
            throw new ArgumentException("Give at least one node id, each once.", nameof(nodeIds));
        }

        foreach (var id in nodeIds)
        {
            if (id.Length < 4 || !char.IsAsciiLetterUpper(id[0]) || !char.IsAsciiLetterUpper(id[1]) || id[2] != '-'
                || !id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                throw new ArgumentException($"Node id '{id}' must look like EE-SKA: a two-letter state, a dash, then capitals, digits or dashes.", nameof(nodeIds));
            }
        }

        var authorities = nodeIds.Select(CountryOf).Distinct()
            .ToDictionary(country => country, country => DevCertificateAuthority.Create($"{country} Development CA", now, CaLifetime));
        var nodes = nodeIds.Select((id, index) => IssueNode(id, authorities[CountryOf(id)], encryptionKey, now, basePort + (2 * index))).ToList();
        return new DevFederation(authorities, nodes);
    }

    public static string CountryOf(string nodeId) => nodeId[..2];

    /// <summary>NGO ids contain "NGO", police ids "POL"; every other node is a national contact point.</summary>
    public static PeerKind KindOf(string nodeId) =>
        nodeId.Contains("NGO", StringComparison.Ordinal) ? PeerKind.Ngo
        : nodeId.Contains("POL", StringComparison.Ordinal) ? PeerKind.LawEnforcement
        : PeerKind.ContactPoint;

    /// <summary>What <paramref name="nodeId"/> knows of itself and of every other node.</summary>
    public PeerRegistryDocument RegistryFor(string nodeId)
    {
        var self = Node(nodeId);
        return new PeerRegistryDocument
        {
            Self = new SelfDocument { Id = self.Id, Country = self.Country, PeerPort = self.PeerPort, InternalPort = self.InternalPort, Kind = self.Kind },
            Peers = Nodes.Where(node => node.Id != nodeId).Select(node => new PeerDocument
            {
                Id = node.Id,
                DisplayName = node.Id,
                Country = node.Country,
                Kind = node.Kind,
                Endpoint = new Uri($"https://localhost:{node.PeerPort}"),
                TrustAnchor = Authorities[node.Country].Certificate.ExportCertificatePem(),
                Tls = [Entry(node.Tls)],
                Signing = [Entry(node.Signing)],
                Encryption = [Entry(node.Encryption)],
            }).ToList(),
        };
    }

    /// <summary>
    /// Writes trust/&lt;STATE&gt;-ca.crt and, per node, tls/sign/enc .crt and .key (PKCS#8, unencrypted: dev only),
    /// peers.json, internal-tls .crt and .key, and clients/ with internal-ca.crt and a .crt and .key per role. Key
    /// files are made readable by the owner only. No CA key is written: a dev PKI gets no new certificates later.
    /// </summary>
    public void WriteTo(string directory)
    {
        var trust = Directory.CreateDirectory(Path.Combine(directory, "trust")).FullName;
        foreach (var (country, authority) in Authorities)
        {
            File.WriteAllText(Path.Combine(trust, $"{country}-ca.crt"), authority.Certificate.ExportCertificatePem());
        }

        foreach (var node in Nodes)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, node.Id)).FullName;
            WritePair(folder, "tls", node.Tls);
            WritePair(folder, "sign", node.Signing);
            WritePair(folder, "enc", node.Encryption);
            File.WriteAllBytes(Path.Combine(folder, "peers.json"), JsonSerializer.SerializeToUtf8Bytes(RegistryFor(node.Id), GatewayJson.Indented));
            WriteCertificateAndKey(DevPkiLayout.InternalTlsCertificateFile(directory, node.Id), DevPkiLayout.InternalTlsKeyFile(directory, node.Id), node.InternalTls);
            Directory.CreateDirectory(DevPkiLayout.ClientsFolder(directory, node.Id));
            File.WriteAllText(DevPkiLayout.InternalCaFile(directory, node.Id), node.InternalCa.Certificate.ExportCertificatePem());
            foreach (var (role, certificate) in node.Clients)
            {
                WriteCertificateAndKey(DevPkiLayout.ClientCertificateFile(directory, node.Id, role), DevPkiLayout.ClientKeyFile(directory, node.Id, role), certificate);
            }

            File.WriteAllBytes(DevPkiLayout.PeopleFile(directory, node.Id), JsonSerializer.SerializeToUtf8Bytes(PeopleFor(node), GatewayJson.Indented));
            File.WriteAllBytes(DevPkiLayout.InternalCrlFile(directory, node.Id), node.InternalCa.CreateCrl([], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow + LeafLifetime));
        }
    }

    /// <summary>The node's people.json: the dev units and people, each with the SHA-256 of their client certificate.</summary>
    public static PeopleDocument PeopleFor(DevNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new PeopleDocument
        {
            Units = DevPeople.Units,
            IntakeUnit = DevPeople.IntakeUnit,
            People = [.. DevPeople.Handles.Select(handle => DevPeople.Person(node.Id, handle) with
            {
                Certificates = [new PersonCertificateDocument { Sha256 = node.Clients[handle].GetCertHashString(HashAlgorithmName.SHA256) }],
            })],
        };
    }

    public void Dispose()
    {
        foreach (var authority in Authorities.Values)
        {
            authority.Dispose();
        }

        foreach (var node in Nodes)
        {
            node.Dispose();
        }
    }

    private static DevNode IssueNode(string id, DevCertificateAuthority authority, EncryptionKeyKind encryptionKey, DateTimeOffset now, int peerPort)
    {
        var country = CountryOf(id);
        DevCertificateRequest Request(string role, X509KeyUsageFlags usage) => new()
        {
            Subject = $"CN={id} {role}, O={id}, C={country}",
            KeyUsage = usage,
            NotBefore = now.AddHours(-1),
            NotAfter = now + LeafLifetime,
        };

        var internalCa = DevCertificateAuthority.Create(new X500DistinguishedName($"CN={id} Internal CA, O={id}"), now, CaLifetime);
        DevCertificateRequest InternalRequest(string subject, string extendedKeyUsage) => new()
        {
            Subject = subject,
            KeyUsage = X509KeyUsageFlags.DigitalSignature,
            ExtendedKeyUsages = [extendedKeyUsage],
            NotBefore = now.AddHours(-1),
            NotAfter = now + LeafLifetime,
        };

        return new DevNode
        {
            Id = id,
            Country = country,
            Kind = KindOf(id),
            PeerPort = peerPort,
            InternalPort = peerPort + 1,
            Tls = authority.Issue(Request("tls", X509KeyUsageFlags.DigitalSignature) with
            {
                ExtendedKeyUsages = [Oids.ServerAuth, Oids.ClientAuth],
                DnsNames = ["localhost", $"{id.ToLowerInvariant()}.gateway.test"],
            }),
            Signing = authority.Issue(Request("signing", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)),
            Encryption = encryptionKey == EncryptionKeyKind.Rsa
                ? authority.Issue(Request("encryption", X509KeyUsageFlags.KeyEncipherment) with { RsaKey = true })
                : authority.Issue(Request("encryption", X509KeyUsageFlags.KeyAgreement)),
            InternalCa = internalCa,

            // Issue adds 127.0.0.1 and ::1 to the SAN alongside the DNS name.
            InternalTls = internalCa.Issue(InternalRequest($"CN={id} internal", Oids.ServerAuth) with { DnsNames = ["localhost"] }),

            // A personal certificate per dev person; people.json maps each to its person (roles and units).
            Clients = DevPeople.Handles.ToDictionary(
                handle => handle,
                handle => internalCa.Issue(InternalRequest($"CN={DevPeople.IdOf(id, handle)}, O={id}", Oids.ClientAuth)),
                StringComparer.Ordinal),
        };
    }

    private static PeerCertificateDocument Entry(X509Certificate2 certificate) =>
        new() { Certificate = certificate.ExportCertificatePem(), Pin = SpkiPin.Of(certificate) };

    private static void WritePair(string folder, string name, X509Certificate2 certificate) =>
        WriteCertificateAndKey(Path.Combine(folder, $"{name}.crt"), Path.Combine(folder, $"{name}.key"), certificate);

    private static void WriteCertificateAndKey(string certificatePath, string keyPath, X509Certificate2 certificate)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(keyPath, options);
        using var writer = new StreamWriter(stream);
        writer.Write(ExportPrivateKeyPem(certificate));
    }

    private static string ExportPrivateKeyPem(X509Certificate2 certificate)
    {
        using var key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? (AsymmetricAlgorithm?)certificate.GetECDiffieHellmanPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("The certificate carries no private key.");
        return key.ExportPkcs8PrivateKeyPem();
    }
}
