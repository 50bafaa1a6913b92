using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.X509;

namespace Gateway.Crypto.Certificates;

/// <summary>The certificate revocation lists a node is configured with (PEM or DER files).</summary>
public sealed class CrlStore
{
    private readonly IReadOnlyList<X509Crl> _crls;

    public CrlStore(IEnumerable<byte[]> encodedCrls)
    {
        var parser = new X509CrlParser();
        _crls = encodedCrls.SelectMany(bytes => parser.ReadCrls(bytes).Cast<X509Crl>()).ToList();
    }

    public static CrlStore Empty { get; } = new([]);

    public bool IsEmpty => _crls.Count == 0;

    public static CrlStore FromFiles(IEnumerable<string> paths) => new(paths.Select(File.ReadAllBytes));

    /// <summary>
    /// Checks <paramref name="certificate"/> against the CRL its issuer signed. Returns the failure code, or null;
    /// adds warnings when the CRL is past its next update or missing for that issuer.
    /// </summary>
    internal string? Check(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, List<string> warnings)
    {
        if (IsEmpty)
        {
            return null;
        }

        var bouncyIssuer = BouncyConvert.ToBouncy(issuer);
        var crl = _crls.FirstOrDefault(candidate => candidate.IssuerDN.Equivalent(bouncyIssuer.SubjectDN) && SignedBy(candidate, bouncyIssuer));
        if (crl is null)
        {
            warnings.Add($"CRL_MISSING: no CRL signed by {issuer.Subject} is configured");
            return null;
        }

        if (crl.NextUpdate is { } nextUpdate && nextUpdate < at.UtcDateTime)
        {
            warnings.Add($"CRL_STALE: the CRL of {issuer.Subject} was due for renewal at {nextUpdate:O}");
        }

        return crl.IsRevoked(BouncyConvert.ToBouncy(certificate)) ? EnvelopeErrorCodes.CertificateRevoked : null;
    }

    private static bool SignedBy(X509Crl crl, Org.BouncyCastle.X509.X509Certificate issuer)
    {
        try
        {
            crl.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception exception) when (exception is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException or Org.BouncyCastle.Security.Certificates.CrlException or InvalidOperationException)
        {
            return false;
        }
    }
}
