using System.Security.Cryptography.X509Certificates;

namespace Gateway.Crypto.Cms;

/// <summary>Content whose CMS signature verified against the certificate it names. Who that signer is, is checked elsewhere.</summary>
public sealed record SignedContent
{
    public required byte[] Content { get; init; }

    public required X509Certificate2 SignerCertificate { get; init; }

    /// <summary>Other certificates the signer included (intermediates, for chain building).</summary>
    public required IReadOnlyList<X509Certificate2> IncludedCertificates { get; init; }

    /// <summary>The signing-time signed attribute, when present.</summary>
    public DateTimeOffset? SigningTime { get; init; }
}
