using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Crypto.DevPki;

/// <summary>
/// A development CA (one per state, and one internal CA per node) that issues role certificates and CRLs. Its key
/// lives only in memory: dev federations are generated at run time, never committed.
/// </summary>
public sealed class DevCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;
    private BigInteger _crlNumber;

    private DevCertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static DevCertificateAuthority Create(string name, DateTimeOffset now, TimeSpan lifetime) =>
        Create(new X500DistinguishedName($"CN={name}, O=Referral Gateway development"), now, lifetime);

    /// <summary>A CA with a subject of the caller's choosing, e.g. a node's internal CA that names the node as its O.</summary>
    public static DevCertificateAuthority Create(X500DistinguishedName subject, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(now.AddHours(-1), now + lifetime);
        return new DevCertificateAuthority(certificate, key);
    }

    /// <summary>Issues a certificate for one role of a node. The returned certificate carries its private key.</summary>
    public X509Certificate2 Issue(DevCertificateRequest requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        using AsymmetricAlgorithm key = requested.RsaKey ? RSA.Create(3072) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedName(requested.Subject);
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
            _ => throw new InvalidOperationException(),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(requested.KeyUsage, true));
        if (requested.ExtendedKeyUsages.Count > 0)
        {
            var usages = new OidCollection();
            foreach (var usage in requested.ExtendedKeyUsages)
            {
                usages.Add(new Oid(usage));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (requested.DnsNames.Count > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dns in requested.DnsNames)
            {
                names.AddDnsName(dns);
            }

            names.AddIpAddress(System.Net.IPAddress.Loopback);
            names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), requested.NotBefore, requested.NotAfter, serial);
        return key switch
        {
            RSA rsa => issued.CopyWithPrivateKey(rsa),

            // .NET treats an EC certificate whose key usage allows no signing as an ECDH certificate.
            ECDsa ecdsa when !requested.KeyUsage.HasFlag(X509KeyUsageFlags.DigitalSignature) =>
                issued.CopyWithPrivateKey(ECDiffieHellman.Create(ecdsa.ExportParameters(includePrivateParameters: true))),
            ECDsa ecdsa => issued.CopyWithPrivateKey(ecdsa),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>A DER CRL revoking <paramref name="revoked"/>, valid from <paramref name="thisUpdate"/> to <paramref name="nextUpdate"/>, numbered one above the last.</summary>
    public byte[] CreateCrl(IEnumerable<X509Certificate2> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate) =>
        CreateCrl(revoked, thisUpdate, nextUpdate, _crlNumber + 1);

    /// <summary>The same with the CRLNumber given, to make CRLs that arrive out of order or share a number.</summary>
    public byte[] CreateCrl(IEnumerable<X509Certificate2> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, BigInteger crlNumber)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, thisUpdate);
        }

        _crlNumber = BigInteger.Max(_crlNumber, crlNumber);
        return builder.Build(Certificate, crlNumber, nextUpdate, HashAlgorithmName.SHA256, thisUpdate: thisUpdate);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
