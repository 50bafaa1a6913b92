using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Peering;
using Gateway.Crypto.Certificates;

namespace Gateway.Crypto.Peers;

/// <summary>
/// The peer registry of one node, parsed and checked once at start so that a bad peers.json stops the node with
/// the name of the offending field instead of failing at the first delivery.
/// </summary>
public sealed class PeerDirectory
{
    private const int MaxCertificatesPerRole = 2;

    private readonly Dictionary<string, TrustedPeer> _byId;

    /// <summary>Who registered each pin, per role: the first peer listing it, as a search in peer order finds it.</summary>
    private readonly Dictionary<(CertificateRole Role, string Pin), TrustedPeer> _byPin = [];

    public PeerDirectory(PeerRegistryDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        Self = document.Self ?? throw new PeerRegistryException("self", "is required");
        Require(Self.Id, "self.id");
        var peers = new List<TrustedPeer>();
        for (var i = 0; i < (document.Peers ?? []).Count; i++)
        {
            peers.Add(Parse(document.Peers![i], $"peers[{i}]"));
        }

        var duplicate = peers.GroupBy(peer => peer.Id, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new PeerRegistryException("peers", $"peer id {duplicate.Key} is listed more than once");
        }

        Peers = peers;
        _byId = peers.ToDictionary(peer => peer.Id, StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            foreach (var role in new[] { CertificateRole.Tls, CertificateRole.Signing, CertificateRole.Encryption })
            {
                foreach (var registered in CertificatesOf(peer, role))
                {
                    _byPin.TryAdd((role, SpkiPin.Of(registered)), peer);
                }
            }
        }
    }

    public SelfDocument Self { get; }

    public IReadOnlyList<TrustedPeer> Peers { get; }

    public static PeerDirectory Load(string path)
    {
        PeerRegistryDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PeerRegistryDocument>(File.ReadAllBytes(path), GatewayJson.Options);
        }
        catch (JsonException exception)
        {
            throw new PeerRegistryException(exception.Path ?? "$", $"is not valid ({exception.Message})");
        }

        return new PeerDirectory(document ?? throw new PeerRegistryException("$", "the file is empty"));
    }

    public TrustedPeer? Find(string peerId) => _byId.GetValueOrDefault(peerId);

    /// <summary>
    /// Finds the peer that registered this certificate for <paramref name="role"/> (by pin) and validates it against
    /// that peer's trust anchor. Throws UNKNOWN_SIGNER, SIGNER_NOT_PINNED or the validator's code.
    /// </summary>
    public PeerAuthentication Authenticate(
        X509Certificate2 certificate,
        CertificateRole role,
        CertificateValidator validator,
        IEnumerable<X509Certificate2>? intermediates = null)
    {
        if (!_byPin.TryGetValue((role, SpkiPin.Of(certificate)), out var peer))
        {
            var anchored = Peers.Any(candidate => validator.ChainsTo(certificate, candidate.TrustAnchor, intermediates));
            throw anchored
                ? new EnvelopeException(EnvelopeErrorCodes.SignerNotPinned, $"certificate {certificate.Subject} chains to a trusted CA but is not registered for any peer")
                : new EnvelopeException(EnvelopeErrorCodes.UnknownSigner, $"certificate {certificate.Subject} belongs to no registered peer");
        }

        var validation = validator.Validate(certificate, peer.TrustAnchor, role, intermediates);
        validation.ThrowIfInvalid();
        return new PeerAuthentication(peer, validation.Warnings);
    }

    private static IReadOnlyList<X509Certificate2> CertificatesOf(TrustedPeer peer, CertificateRole role) => role switch
    {
        CertificateRole.Tls => peer.Tls,
        CertificateRole.Signing => peer.Signing,
        _ => peer.Encryption,
    };

    private static TrustedPeer Parse(PeerDocument peer, string path)
    {
        Require(peer.Id, $"{path}.id");
        Require(peer.DisplayName, $"{path}.displayName");
        Require(peer.Country, $"{path}.country");
        if (peer.Endpoint is null || !peer.Endpoint.IsAbsoluteUri || peer.Endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new PeerRegistryException($"{path}.endpoint", "must be an absolute https URL");
        }

        var anchor = ParseCertificate(peer.TrustAnchor, $"{path}.trustAnchor");
        return new TrustedPeer
        {
            Id = peer.Id,
            DisplayName = peer.DisplayName,
            Country = peer.Country,
            Kind = peer.Kind,
            Endpoint = peer.Endpoint,
            TrustAnchor = anchor,
            Tls = ParseRole(peer.Tls, $"{path}.tls"),
            Signing = ParseRole(peer.Signing, $"{path}.signing"),
            Encryption = ParseRole(peer.Encryption, $"{path}.encryption"),
            AcceptCbc = peer.AcceptCbc,
        };
    }

    private static IReadOnlyList<X509Certificate2> ParseRole(IReadOnlyList<PeerCertificateDocument>? entries, string path)
    {
        if (entries is null || entries.Count is 0 or > MaxCertificatesPerRole)
        {
            throw new PeerRegistryException(path, $"must list one or {MaxCertificatesPerRole} certificates");
        }

        var certificates = new List<X509Certificate2>();
        for (var i = 0; i < entries.Count; i++)
        {
            var certificate = ParseCertificate(entries[i].Certificate, $"{path}[{i}].certificate");
            if (SpkiPin.Of(certificate) != entries[i].Pin)
            {
                throw new PeerRegistryException($"{path}[{i}].pin", "does not match the SHA-256 of the certificate's public key");
            }

            certificates.Add(certificate);
        }

        return certificates;
    }

    private static X509Certificate2 ParseCertificate(string? pem, string field)
    {
        Require(pem, field);
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException exception)
        {
            throw new PeerRegistryException(field, $"is not a PEM certificate ({exception.Message})");
        }
    }

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PeerRegistryException(field, "is required");
        }
    }
}
