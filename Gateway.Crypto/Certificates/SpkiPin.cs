using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Crypto.Certificates;

/// <summary>The pin of a certificate: base64 of SHA-256 over its DER SubjectPublicKeyInfo (as in RFC 7469).</summary>
public static class SpkiPin
{
    public static string Of(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
