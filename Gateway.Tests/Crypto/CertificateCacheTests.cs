using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.Cms;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>Certificates read from signed data are loaded into .NET once per distinct certificate, within a bound.</summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class CertificateCacheTests(EcFederationFixture ec)
{
    [Fact]
    public void A_certificate_seen_before_is_the_same_instance_with_the_same_public_key()
    {
        var cache = new CertificateCache(capacity: 4);
        var der = ec.SignerOf(Estonia).Certificate.RawData;

        var first = cache.Get(der);
        var second = cache.Get((byte[])der.Clone());

        Assert.Same(first, second);
        Assert.NotNull(first.EcdsaPublicKey);
        Assert.Same(first.EcdsaPublicKey, second.EcdsaPublicKey);
        Assert.Null(first.RsaPublicKey);
    }

    [Fact]
    public void Different_certificates_are_different_entries()
    {
        var cache = new CertificateCache(capacity: 4);

        var estonia = cache.Get(ec.SignerOf(Estonia).Certificate.RawData);
        var finland = cache.Get(ec.SignerOf(Finland).Certificate.RawData);

        Assert.Equal(ec.SignerOf(Estonia).Certificate.RawData, estonia.Certificate.RawData);
        Assert.Equal(ec.SignerOf(Finland).Certificate.RawData, finland.Certificate.RawData);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void A_full_cache_starts_over_instead_of_growing()
    {
        var cache = new CertificateCache(capacity: 2);
        var certificates = Enumerable.Range(0, 5).Select(i => SelfSigned($"CN=synthetic cache entry {i}")).ToList();

        foreach (var certificate in certificates)
        {
            Assert.Equal(certificate.RawData, cache.Get(certificate.RawData).Certificate.RawData);
            Assert.InRange(cache.Count, 1, 2);
        }

        certificates.ForEach(certificate => certificate.Dispose());
    }

    [Fact]
    public void Signed_data_verified_twice_names_the_same_signer_certificate_instance()
    {
        var signed = SignedDataCodec.Sign(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)), ec.SignerOf(Estonia), ec.Now);

        var cache = new CertificateCache(capacity: 4);
        var first = SignedDataCodec.Verify(signed, cache);
        var second = SignedDataCodec.Verify(signed, cache);

        Assert.Same(first.SignerCertificate, second.SignerCertificate);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
