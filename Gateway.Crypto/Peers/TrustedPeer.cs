using System.Security.Cryptography.X509Certificates;
using Gateway.Contracts.Peering;

namespace Gateway.Crypto.Peers;

/// <summary>A partner from peers.json with its certificates parsed and their pins checked.</summary>
public sealed record TrustedPeer
{
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    public required string Country { get; init; }

    public required PeerKind Kind { get; init; }

    public required Uri Endpoint { get; init; }

    public required X509Certificate2 TrustAnchor { get; init; }

    public required IReadOnlyList<X509Certificate2> Tls { get; init; }

    public required IReadOnlyList<X509Certificate2> Signing { get; init; }

    public required IReadOnlyList<X509Certificate2> Encryption { get; init; }

    /// <summary>EnvelopedData with AES-CBC is opened from this peer (peers.json <c>acceptCbc</c>); refused before decryption otherwise.</summary>
    public bool AcceptCbc { get; init; }

    /// <summary>
    /// The encryption certificate to seal to now: of those already valid, the one issued last, so a partner that
    /// added a new certificate for rotation starts receiving under it as soon as it is valid.
    /// </summary>
    public X509Certificate2 CurrentEncryptionCertificate(DateTimeOffset now) =>
        Encryption.Where(certificate => certificate.NotBefore.ToUniversalTime() <= now && now <= certificate.NotAfter.ToUniversalTime())
            .OrderByDescending(certificate => certificate.NotBefore)
            .FirstOrDefault()
        ?? throw new EnvelopeException(EnvelopeErrorCodes.CertificateExpired, $"peer {Id} has no encryption certificate valid now");
}
