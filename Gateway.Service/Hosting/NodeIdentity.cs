using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.Identity;
using Gateway.Crypto.Peers;

namespace Gateway.Service.Hosting;

/// <summary>This node's keys and its view of the federation, loaded once at start.</summary>
public sealed class NodeIdentity : IDisposable
{
    private NodeIdentity(string nodeId, X509Certificate2 tls, SigningIdentity signing, DecryptionIdentity decryption, PeerDirectory peers)
    {
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

    public PeerDirectory Peers { get; }

    public static NodeIdentity Load(GatewayNodeOptions options)
    {
        var peers = PeerDirectory.Load(options.PeersFile);
        if (peers.Self.Id != options.NodeId)
        {
            throw new PeerRegistryException("self.id", $"is {peers.Self.Id}, but this node is configured as {options.NodeId}");
        }

        // Re-import so the TLS key is usable by SslStream on every platform (PEM keys are ephemeral).
        using var pem = X509Certificate2.CreateFromPemFile(options.TlsCertificateFile, options.TlsKeyFile);
        var tls = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        return new NodeIdentity(
            options.NodeId,
            tls,
            SigningIdentity.FromPemFiles(options.SigningCertificateFile, options.SigningKeyFile),
            DecryptionIdentity.FromPemFiles(options.EncryptionCertificateFile, options.EncryptionKeyFile),
            peers);
    }

    public void Dispose()
    {
        Tls.Dispose();
        Signing.Dispose();
        Decryption.Dispose();
    }
}
