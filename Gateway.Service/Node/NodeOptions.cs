using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;

namespace Gateway.Service.Node;

/// <summary>
/// Who this node is and where its keys, partners and listeners are (configuration section <c>Gateway</c>). Validated
/// at start (<see cref="NodeOptionsValidator"/>), so a wrong path or port stops the node with the name of the setting.
/// </summary>
public sealed class NodeOptions
{
    public const string Section = "Gateway";

    private const string Loopback = "127.0.0.1";

    public string NodeId { get; set; } = string.Empty;

    /// <summary>This node's peers.json (DESIGN §2).</summary>
    public string PeersFile { get; set; } = string.Empty;

    public string TlsCertificateFile { get; set; } = string.Empty;

    public string TlsKeyFile { get; set; } = string.Empty;

    public string SigningCertificateFile { get; set; } = string.Empty;

    public string SigningKeyFile { get; set; } = string.Empty;

    public string EncryptionCertificateFile { get; set; } = string.Empty;

    public string EncryptionKeyFile { get; set; } = string.Empty;

    /// <summary>
    /// Passphrase of the encrypted private keys (PKCS#8 PEM or PKCS#12) among the key files. Prefer
    /// <see cref="KeyPassphraseFile"/>, which wins when both are set; never logged or printed.
    /// </summary>
    public string? KeyPassphrase { get; set; }

    /// <summary>A file holding <see cref="KeyPassphrase"/> (one trailing line break ignored): keeps it out of the environment.</summary>
    public string? KeyPassphraseFile { get; set; }

    /// <summary>
    /// Further encryption certificates and keys this node still decrypts with (certificate rotation): the key being
    /// retired, or the next one already announced to partners. Sealing to this node is the partners' choice.
    /// </summary>
    public List<CertificateKeyFiles> AdditionalDecryptionKeys { get; set; } = [];

    /// <summary>
    /// CRLs of the partners' CAs (DER or PEM), read at start and again whenever a file changes (<see cref="CrlWatcher"/>).
    /// With none, revocation is not checked; with some, for each issuer the newest CRL applies, a certificate whose issuer
    /// has no CRL here is an operator warning, and one whose CRL is past its nextUpdate too (DESIGN §2, §17) until
    /// <see cref="CrlGracePeriod"/> runs out.
    /// </summary>
    public List<string> CrlFiles { get; set; } = [];

    /// <summary>
    /// How long past its nextUpdate a CRL still applies, with operators alerted; then its issuer's certificates are
    /// refused (REVOCATION_UNKNOWN) until a current CRL is configured. Between zero and <see cref="NodeOptionsValidator.MaxCrlGracePeriod"/>.
    /// </summary>
    public TimeSpan CrlGracePeriod { get; set; } = CrlStore.DefaultGracePeriod;

    /// <summary>Server certificate of the internal listener, issued by the organisation's internal CA.</summary>
    public string InternalTlsCertificateFile { get; set; } = string.Empty;

    public string InternalTlsKeyFile { get; set; } = string.Empty;

    /// <summary>The internal CA whose client certificates are admitted to the internal listener; the role is the certificate's OU.</summary>
    public string InternalClientCaFile { get; set; } = string.Empty;

    /// <summary>
    /// The 32-byte content key of a node upgraded from the release before per-case keys: read once, at the upgrade, to
    /// seal the old copies under case keys, then overwritten and deleted. Unused by a new node.
    /// </summary>
    public string ContentKeyFile { get; set; } = string.Empty;

    /// <summary>
    /// The former single address of both listeners; now the peer listener's when <see cref="PeerBindAddress"/> is unset.
    /// It no longer moves the internal listener, which stays on <see cref="InternalBindAddress"/>.
    /// </summary>
    public string? BindAddress { get; set; }

    /// <summary>Address of the mutual-TLS listener partners reach (DESIGN §10): unset, <see cref="BindAddress"/>, else loopback.</summary>
    public string? PeerBindAddress { get; set; }

    /// <summary>
    /// Address of the internal listener (/api, /ops, /metrics, /health): unset, loopback. Set it deliberately, to an
    /// address only the organisation reaches, or to 0.0.0.0 where a network policy keeps partners out (a container).
    /// </summary>
    public string? InternalBindAddress { get; set; }

    /// <summary>Where the peer listener binds.</summary>
    internal string PeerListenerAddress => PeerBindAddress ?? BindAddress ?? Loopback;

    /// <summary>Where the internal listener binds.</summary>
    internal string InternalListenerAddress => InternalBindAddress ?? Loopback;

    /// <summary>Mutual-TLS listener for partners; 0 takes the port from peers.json.</summary>
    public int PeerPort { get; set; }

    /// <summary>Internal listener (/api, /ops, /health); 0 takes the port from peers.json.</summary>
    public int InternalPort { get; set; }

    /// <summary>The node's files as <c>pki init-dev</c> wrote them, its content key in <paramref name="dataDirectory"/>.</summary>
    public static NodeOptions FromDevPki(string pkiDirectory, string nodeId, string dataDirectory)
    {
        var folder = DevPkiLayout.NodeFolder(pkiDirectory, nodeId);
        return new NodeOptions
        {
            NodeId = nodeId,
            PeersFile = DevPkiLayout.PeersFile(pkiDirectory, nodeId),
            TlsCertificateFile = Path.Combine(folder, "tls.crt"),
            TlsKeyFile = Path.Combine(folder, "tls.key"),
            SigningCertificateFile = Path.Combine(folder, "sign.crt"),
            SigningKeyFile = Path.Combine(folder, "sign.key"),
            EncryptionCertificateFile = Path.Combine(folder, "enc.crt"),
            EncryptionKeyFile = Path.Combine(folder, "enc.key"),
            InternalTlsCertificateFile = DevPkiLayout.InternalTlsCertificateFile(pkiDirectory, nodeId),
            InternalTlsKeyFile = DevPkiLayout.InternalTlsKeyFile(pkiDirectory, nodeId),
            InternalClientCaFile = DevPkiLayout.InternalCaFile(pkiDirectory, nodeId),
            ContentKeyFile = Path.Combine(dataDirectory, "content.key"),
        };
    }
}
