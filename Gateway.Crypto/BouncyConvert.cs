using System.Security.Cryptography.X509Certificates;
using BouncyCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Gateway.Crypto;

/// <summary>Crossings between .NET's certificate type and BouncyCastle's, by DER so nothing is reinterpreted.</summary>
internal static class BouncyConvert
{
    public static BouncyCertificate ToBouncy(X509Certificate2 certificate) => new(certificate.RawData);

    public static X509Certificate2 ToDotNet(BouncyCertificate certificate) =>
        X509CertificateLoader.LoadCertificate(certificate.GetEncoded());
}
