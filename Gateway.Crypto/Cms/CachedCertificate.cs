using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Crypto.Cms;

/// <summary>
/// A signer's .NET certificate with its public key, decoded once and shared by every envelope and receipt that
/// names it. Neither is ever disposed: other threads may be verifying with them (OpenSSL-backed keys verify
/// concurrently; each call takes its own context).
/// </summary>
internal sealed class CachedCertificate
{
    private readonly Lazy<ECDsa?> _ecdsa;
    private readonly Lazy<RSA?> _rsa;

    public CachedCertificate(X509Certificate2 certificate)
    {
        Certificate = certificate;

        // From PublicKey, not the certificate: X509Certificate2.GetECDsaPublicKey returns null when the key usage
        // lacks digitalSignature, and key usage is CertificateValidator's to judge (KEY_USAGE_INVALID).
        _ecdsa = new(() => Decode(certificate.PublicKey.GetECDsaPublicKey));
        _rsa = new(() => Decode(certificate.PublicKey.GetRSAPublicKey));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Null when the key is not EC or .NET cannot decode it (a compressed point, say).</summary>
    public ECDsa? EcdsaPublicKey => _ecdsa.Value;

    /// <summary>Null when the key is not RSA or .NET cannot decode it.</summary>
    public RSA? RsaPublicKey => _rsa.Value;

    private static T? Decode<T>(Func<T?> decode)
        where T : AsymmetricAlgorithm
    {
        try
        {
            return decode();
        }
        catch (Exception exception) when (exception is CryptographicException or NotSupportedException)
        {
            // NotSupportedException: a curve this OpenSSL lacks.
            return null;
        }
    }
}
