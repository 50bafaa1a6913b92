using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.Identity;
using Gateway.Crypto.Peers;

namespace Gateway.Service.Node;

/// <summary>This node's keys and its view of the federation, loaded once at start.</summary>
public sealed class NodeIdentity : IDisposable
{
    private NodeIdentity(string nodeId, X509Certificate2 tls, SigningIdentity signing, DecryptionIdentity decryption, PeerDirectory peers, X509Certificate2 internalTls, X509Certificate2 internalClientCa)
    {
        InternalTls = internalTls;
        InternalClientCa = internalClientCa;
        NodeId = nodeId;
        Tls = tls;
        Signing = signing;
        Decryption = decryption;
        Peers = peers;
    }

    public string NodeId { get; }

    /// <summary>Server certificate of the peer listener and client certificate towards peers.</summary>
    public X509Certificate2 Tls { get; }

    public SigningIdentity Signing { get; }

    public DecryptionIdentity Decryption { get; }

    /// <summary>Every key this node decrypts with: <see cref="Decryption"/> first, then those kept or added for a rotation.</summary>
    public IReadOnlyList<DecryptionIdentity> DecryptionKeys { get; private init; } = [];

    public PeerDirectory Peers { get; }

    /// <summary>Server certificate of the internal listener.</summary>
    public X509Certificate2 InternalTls { get; }

    /// <summary>The CA of the organisation's caseworker, operator and auditor certificates.</summary>
    public X509Certificate2 InternalClientCa { get; }

    /// <summary>The mutual-TLS listener's port: the configured one, else the one peers.json gives this node.</summary>
    public int PeerPort { get; private init; }

    /// <summary>The internal listener's port: the configured one, else the one peers.json gives this node.</summary>
    public int InternalPort { get; private init; }

    /// <summary>This node's kind as peers.json states it; a contact point when it does not.</summary>
    public Contracts.Peering.PeerKind Kind => Peers.Self.Kind ?? Contracts.Peering.PeerKind.ContactPoint;

    public static NodeIdentity Load(NodeOptions options)
    {
        var peers = PeerDirectory.Load(options.PeersFile);
        if (peers.Self.Id != options.NodeId)
        {
            throw new PeerRegistryException("self.id", $"is {peers.Self.Id}, but this node is configured as {options.NodeId}");
        }

        // PKCS#8 PEM, encrypted PKCS#8 PEM or PKCS#12, each key checked against its certificate.
        var keys = KeyMaterial.For(options);
        var identity = new NodeIdentity(
            options.NodeId,
            keys.TlsCertificate(nameof(options.TlsCertificateFile), options.TlsCertificateFile, nameof(options.TlsKeyFile), options.TlsKeyFile),
            keys.Signing(nameof(options.SigningCertificateFile), options.SigningCertificateFile, nameof(options.SigningKeyFile), options.SigningKeyFile),
            keys.Decryption(nameof(options.EncryptionCertificateFile), options.EncryptionCertificateFile, nameof(options.EncryptionKeyFile), options.EncryptionKeyFile),
            peers,
            keys.TlsCertificate(nameof(options.InternalTlsCertificateFile), options.InternalTlsCertificateFile, nameof(options.InternalTlsKeyFile), options.InternalTlsKeyFile),
            X509CertificateLoader.LoadCertificateFromFile(options.InternalClientCaFile));
        return new NodeIdentity(identity)
        {
            PeerPort = options.PeerPort != 0 ? options.PeerPort : peers.Self.PeerPort,
            InternalPort = options.InternalPort != 0 ? options.InternalPort : peers.Self.InternalPort,
            DecryptionKeys =
            [
                identity.Decryption,
                .. options.AdditionalDecryptionKeys.Select((files, i) => keys.Decryption(
                    $"{nameof(options.AdditionalDecryptionKeys)}:{i}:{nameof(files.CertificateFile)}", files.CertificateFile,
                    $"{nameof(options.AdditionalDecryptionKeys)}:{i}:{nameof(files.KeyFile)}", files.KeyFile)),
            ],
        };
    }

    private NodeIdentity(NodeIdentity loaded)
        : this(loaded.NodeId, loaded.Tls, loaded.Signing, loaded.Decryption, loaded.Peers, loaded.InternalTls, loaded.InternalClientCa)
    {
    }

    public void Dispose()
    {
        Tls.Dispose();
        InternalTls.Dispose();
        InternalClientCa.Dispose();
        Signing.Dispose();
        foreach (var key in DecryptionKeys)
        {
            key.Dispose();
        }
    }
}
