using System.Security.Cryptography.X509Certificates;
using BouncyCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Gateway.Crypto;

/// <summary>
/// Crossing from .NET's certificate type to BouncyCastle's, by DER so nothing is reinterpreted. The other way,
/// for certificates read from signed data, goes through <see cref="Cms.CertificateCache"/>.
/// </summary>
internal static class BouncyConvert
{
    public static BouncyCertificate ToBouncy(X509Certificate2 certificate) => new(certificate.RawData);
}
