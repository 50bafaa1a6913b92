using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Peering;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Identity;
using Gateway.Crypto.Peers;

namespace Gateway.Tests.Crypto;

/// <summary>
/// One development federation (EE-SKA, FI-NRM, LV-NGO-SAFEHOUSE) created once per test run and written to a
/// temporary folder, so that openssl can read the same PEM certificates and keys the gateway uses.
/// </summary>
public abstract class DevFederationFixture : IDisposable
{
    public const string Estonia = "EE-SKA";
    public const string Finland = "FI-NRM";
    public const string Shelter = "LV-NGO-SAFEHOUSE";

    private readonly Dictionary<string, SigningIdentity> _signers = [];
    private readonly Dictionary<string, DecryptionIdentity> _decryptors = [];

    protected DevFederationFixture(EncryptionKeyKind encryptionKey)
    {
        // Real time, not a fake clock: openssl judges certificate validity by the wall clock.
        Now = DateTimeOffset.UtcNow;
        EncryptionKey = encryptionKey;
        Federation = DevFederation.Create([Estonia, Finland, Shelter], encryptionKey, Now);
        Directory = Path.Combine(Path.GetTempPath(), $"gateway-crypto-federation-{encryptionKey}-{Guid.NewGuid():N}");
        Federation.WriteTo(Directory);

        foreach (var node in Federation.Nodes)
        {
            _signers[node.Id] = SigningIdentity.FromPemFiles(FileOf(node.Id, "sign.crt"), FileOf(node.Id, "sign.key"));
            _decryptors[node.Id] = DecryptionIdentity.FromPemFiles(FileOf(node.Id, "enc.crt"), FileOf(node.Id, "enc.key"));
        }
    }

    public DateTimeOffset Now { get; }

    public EncryptionKeyKind EncryptionKey { get; }

    public DevFederation Federation { get; }

    public string Directory { get; }

    public EnvelopeSealer Sealer { get; } = new(TimeProvider.System);

    /// <summary>A file <see cref="DevFederation.WriteTo"/> wrote for a node: tls/sign/enc .crt and .key, peers.json.</summary>
    public string FileOf(string nodeId, string name) => Path.Combine(Directory, nodeId, name);

    /// <summary>The trust anchor of the state a node belongs to, as a PEM file.</summary>
    public string CaFileOf(string nodeId) => Path.Combine(Directory, "trust", $"{DevFederation.CountryOf(nodeId)}-ca.crt");

    public DevCertificateAuthority AuthorityOf(string nodeId) => Federation.Authorities[DevFederation.CountryOf(nodeId)];

    public SigningIdentity SignerOf(string nodeId) => _signers[nodeId];

    public X509Certificate2 EncryptionCertificateOf(string nodeId) => Federation.Node(nodeId).Encryption;

    /// <summary>The peers.json a node was given, as the node loads it from disk.</summary>
    public PeerDirectory PeersOf(string nodeId) => PeerDirectory.Load(FileOf(nodeId, "peers.json"));

    /// <summary>A node's peer registry in which <paramref name="peerId"/> has registered one more signing certificate.</summary>
    public PeerDirectory PeersWithExtraSigningCertificate(string nodeId, string peerId, X509Certificate2 certificate)
    {
        var document = Federation.RegistryFor(nodeId);
        var entry = new PeerCertificateDocument { Certificate = certificate.ExportCertificatePem(), Pin = SpkiPin.Of(certificate) };
        var peers = document.Peers.Select(peer => peer.Id == peerId ? peer with { Signing = [.. peer.Signing, entry] } : peer).ToList();
        return new PeerDirectory(document with { Peers = peers });
    }

    /// <summary>The opener of a receiving node with its own key, its peers.json and (optionally) CRLs.</summary>
    public EnvelopeOpener OpenerOf(string nodeId, PeerDirectory? peers = null, CrlStore? crls = null) =>
        new(_decryptors[nodeId], peers ?? PeersOf(nodeId), new CertificateValidator(TimeProvider.System, crls ?? CrlStore.Empty));

    /// <summary>Seals a payload as its header's sender would: signed by <c>from</c>, encrypted to <c>to</c>.</summary>
    public byte[] Seal(EnvelopePayload payload) =>
        Sealer.Seal(payload, SignerOf(payload.Header.From), EncryptionCertificateOf(payload.Header.To));

    /// <summary>A signing certificate for a node issued by that node's state CA, outside the federation's registry.</summary>
    public SigningIdentity IssueSigningIdentity(string nodeId, DateTimeOffset notBefore, DateTimeOffset notAfter, X509KeyUsageFlags keyUsage =
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, DevCertificateAuthority? authority = null)
    {
        var certificate = (authority ?? AuthorityOf(nodeId)).Issue(new DevCertificateRequest
        {
            Subject = $"CN={nodeId} signing, O={nodeId}, C={DevFederation.CountryOf(nodeId)}",
            KeyUsage = keyUsage,
            NotBefore = notBefore,
            NotAfter = notAfter,
        });
        return new SigningIdentity(certificate, SigningKeyOf(certificate));
    }

    /// <summary>
    /// The certificate's private key as ECDSA, whatever its key usage says: .NET offers no ECDSA view of a key whose
    /// certificate allows only key agreement, and the tests need to sign with exactly such a misissued certificate.
    /// </summary>
    private static ECDsa SigningKeyOf(X509Certificate2 certificate)
    {
        if (certificate.GetECDsaPrivateKey() is { } ecdsa)
        {
            return ecdsa;
        }

        using var ecdh = certificate.GetECDiffieHellmanPrivateKey()!;
        return ECDsa.Create(ecdh.ExportParameters(includePrivateParameters: true));
    }

    public void Dispose()
    {
        foreach (var identity in _signers.Values)
        {
            identity.Dispose();
        }

        foreach (var identity in _decryptors.Values)
        {
            identity.Dispose();
        }

        Federation.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not a test failure.
        }

        GC.SuppressFinalize(this);
    }
}
