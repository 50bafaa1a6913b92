using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto;
using Gateway.Crypto.Cms;
using Gateway.Crypto.Identity;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using static Gateway.Tests.Crypto.HandSignedData;

namespace Gateway.Tests.Crypto;

/// <summary>
/// The RFC 5652 §5.4/§5.6 rules a SignerInfo is verified by (signed attributes, the digest they carry, the signature
/// over them) for signer infos the gateway does not write itself: other algorithm identifiers, partners' quirks, and
/// attributes that are missing, doubled or wrong. The signer's certificate is self-signed; trust is judged elsewhere.
/// </summary>
[Trait("Category", "Crypto")]
public sealed class SignerInfoVerificationTests : IDisposable
{
    private static readonly byte[] Payload = "{\"synthetic\":\"signed content for verification tests\"}"u8.ToArray();
    private static readonly AlgorithmIdentifier Sha256 = new(NistObjectIdentifiers.IdSha256);
    private static readonly AlgorithmIdentifier EcdsaWithSha256 = new(X9ObjectIdentifiers.ECDsaWithSha256);

    private readonly ECDsa _ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ecCertificate;
    private readonly ScratchDirectory _scratch = new();

    public SignerInfoVerificationTests()
    {
        _ecCertificate = SelfSigned(new CertificateRequest("CN=synthetic EC signer", _ecKey, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Signed_data_whose_valid_signature_covers_the_digest_of_other_content_is_rejected_with_SIGNATURE_INVALID()
    {
        var signed = EcSigned() with
        {
            SignedAttributes = [ContentType(CmsObjectIdentifiers.Data), MessageDigest(SHA256.HashData("{\"synthetic\":\"other content\"}"u8))],
        };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_naming_id_ecPublicKey_as_its_signature_algorithm_verifies_as_some_OpenSSL_versions_write_it()
    {
        var signed = EcSigned() with { SignatureAlgorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey) };

        Assert.Equal(Payload, SignedDataCodec.Verify(signed.Encode()).Content);
    }

    [Fact]
    public void Signed_data_with_a_SHA_384_digest_and_ecdsa_with_SHA384_verifies()
    {
        var sha384 = new AlgorithmIdentifier(NistObjectIdentifiers.IdSha384);
        var signed = EcSigned() with
        {
            DigestAlgorithm = sha384,
            SignatureAlgorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha384),
            SignatureHash = HashAlgorithmName.SHA384,
            SignedAttributes = [ContentType(CmsObjectIdentifiers.Data), MessageDigest(SHA384.HashData(Payload))],
        };

        Assert.Equal(Payload, SignedDataCodec.Verify(signed.Encode()).Content);
    }

    [Fact]
    public void Signed_data_whose_ecdsa_with_SHA384_signature_algorithm_contradicts_its_SHA_256_digest_algorithm_is_rejected_with_SIGNATURE_INVALID()
    {
        var signed = EcSigned() with
        {
            SignatureAlgorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha384),
            SignatureHash = HashAlgorithmName.SHA384,
        };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_whose_signature_algorithm_carries_parameters_is_rejected_with_SIGNATURE_INVALID()
    {
        var signed = EcSigned() with { SignatureAlgorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256, SecObjectIdentifiers.SecP256r1) };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_without_a_content_type_attribute_is_rejected_with_SIGNATURE_INVALID()
    {
        var signed = EcSigned() with { SignedAttributes = [MessageDigest(SHA256.HashData(Payload))] };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_whose_content_type_attribute_is_not_the_encapsulated_id_data_is_rejected_with_SIGNATURE_INVALID()
    {
        var signed = EcSigned() with { SignedAttributes = [ContentType(CmsObjectIdentifiers.SignedData), MessageDigest(SHA256.HashData(Payload))] };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_without_a_message_digest_attribute_is_rejected_with_SIGNATURE_INVALID()
    {
        var signed = EcSigned() with { SignedAttributes = [ContentType(CmsObjectIdentifiers.Data)] };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_with_two_message_digest_attributes_is_rejected_with_SIGNATURE_INVALID()
    {
        var digest = SHA256.HashData(Payload);
        var signed = EcSigned() with
        {
            SignedAttributes = [ContentType(CmsObjectIdentifiers.Data), MessageDigest(digest), MessageDigest(SHA256.HashData(digest))],
        };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_whose_message_digest_attribute_holds_two_values_is_rejected_with_SIGNATURE_INVALID()
    {
        var digest = SHA256.HashData(Payload);
        var signed = EcSigned() with { SignedAttributes = [ContentType(CmsObjectIdentifiers.Data), MessageDigest(digest, SHA256.HashData(digest))] };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_with_a_message_digest_among_its_unsigned_attributes_is_rejected_with_SIGNATURE_INVALID()
    {
        var signed = EcSigned() with { UnsignedAttributes = [MessageDigest(SHA256.HashData(Payload))] };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_whose_algorithm_protection_names_another_signature_algorithm_is_rejected_with_SIGNATURE_INVALID()
    {
        // RFC 6211: the signer meant ecdsa-with-SHA256; the signer info outside the signature now says otherwise.
        var signed = EcSigned() with
        {
            SignatureAlgorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey),
            SignedAttributes = [ContentType(CmsObjectIdentifiers.Data), MessageDigest(SHA256.HashData(Payload)), AlgorithmProtection(Sha256, EcdsaWithSha256)],
        };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Fact]
    public void Signed_data_whose_algorithm_protection_matches_its_algorithms_verifies()
    {
        var signed = EcSigned() with
        {
            SignedAttributes = [ContentType(CmsObjectIdentifiers.Data), MessageDigest(SHA256.HashData(Payload)), AlgorithmProtection(Sha256, EcdsaWithSha256)],
        };

        Assert.Equal(Payload, SignedDataCodec.Verify(signed.Encode()).Content);
    }

    [Fact]
    public void Signed_data_naming_ECDSA_but_signed_by_an_RSA_certificate_is_rejected_with_SIGNATURE_INVALID()
    {
        using var rsaKey = RSA.Create(2048);
        using var rsaCertificate = SelfSigned(new CertificateRequest("CN=synthetic RSA signer", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var signed = EcSigned() with { Certificate = rsaCertificate, Key = rsaKey };

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed.Encode());
    }

    [Theory]
    [InlineData("1.2.840.113549.1.1.11")] // sha256WithRSAEncryption
    [InlineData("1.2.840.113549.1.1.1")] // rsaEncryption, with the digest algorithm giving the hash
    public void Signed_data_with_an_RSA_PKCS1_v1_5_signature_verifies(string signatureAlgorithm)
    {
        using var rsaKey = RSA.Create(2048);
        using var rsaCertificate = SelfSigned(new CertificateRequest("CN=synthetic RSA signer", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var signed = EcSigned() with
        {
            Certificate = rsaCertificate,
            Key = rsaKey,
            SignatureAlgorithm = new AlgorithmIdentifier(new DerObjectIdentifier(signatureAlgorithm), DerNull.Instance),
        };

        Assert.Equal(Payload, SignedDataCodec.Verify(signed.Encode()).Content);
    }

    [Fact]
    public async Task Signed_data_made_by_the_gateway_with_an_RSA_key_verifies_in_the_gateway_and_in_OpenSSL()
    {
        var rsaKey = RSA.Create(2048);
        using var rsaCertificate = SelfSigned(new CertificateRequest("CN=synthetic RSA signer", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var signer = new SigningIdentity(rsaCertificate, rsaKey);

        var signed = SignedDataCodec.Sign(Payload, signer, DateTimeOffset.UtcNow);

        Assert.Equal(PkcsObjectIdentifiers.Sha256WithRsaEncryption.Id, CmsParts.SignatureAlgorithm(signed));
        Assert.Equal(Payload, SignedDataCodec.Verify(signed).Content);
        await File.WriteAllBytesAsync(_scratch.File("signed.der"), signed);
        await File.WriteAllTextAsync(_scratch.File("signer.crt"), rsaCertificate.ExportCertificatePem());
        await OpenSsl.CmsAsync(_scratch.Path, "-verify", "-binary", "-inform", "DER", "-in", "signed.der", "-CAfile", "signer.crt", "-purpose", "any", "-out", "content.json");
        Assert.Equal(Payload, await File.ReadAllBytesAsync(_scratch.File("content.json")));
    }

    [Fact]
    public async Task OpenSsl_signed_data_with_an_RSASSA_PSS_signature_verifies_through_BouncyCastle()
    {
        using var rsaKey = RSA.Create(2048);
        using var rsaCertificate = SelfSigned(new CertificateRequest("CN=synthetic RSA signer", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        await File.WriteAllTextAsync(_scratch.File("signer.crt"), rsaCertificate.ExportCertificatePem());
        await File.WriteAllTextAsync(_scratch.File("signer.key"), rsaKey.ExportPkcs8PrivateKeyPem());
        await File.WriteAllBytesAsync(_scratch.File("payload.json"), Payload);

        await OpenSsl.CmsAsync(
            _scratch.Path, "-sign", "-binary", "-nodetach", "-md", "sha256", "-outform", "DER", "-signer", "signer.crt", "-inkey", "signer.key",
            "-keyopt", "rsa_padding_mode:pss", "-in", "payload.json", "-out", "signed.der");
        var signed = await File.ReadAllBytesAsync(_scratch.File("signed.der"));

        Assert.Equal(PkcsObjectIdentifiers.IdRsassaPss.Id, CmsParts.SignatureAlgorithm(signed));
        Assert.Equal(Payload, SignedDataCodec.Verify(signed).Content);
    }

    [Fact]
    public async Task Signed_data_whose_signer_certificate_holds_a_compressed_EC_point_verifies_through_BouncyCastle()
    {
        // .NET decodes only uncompressed points from a SubjectPublicKeyInfo; RFC 5480 lets a certificate carry either.
        await RunOpenSslAsync("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "signer.key");
        await RunOpenSslAsync("ec", "-in", "signer.key", "-conv_form", "compressed", "-out", "compressed.key");
        await RunOpenSslAsync("req", "-x509", "-new", "-key", "compressed.key", "-subj", "/CN=synthetic compressed-point signer", "-days", "2", "-out", "signer.crt");
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_scratch.File("signer.crt")));
        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(_scratch.File("signer.key")));
        Assert.Throws<CryptographicException>(() => certificate.PublicKey.GetECDsaPublicKey());

        var signed = EcSigned() with { Certificate = certificate, Key = key };

        Assert.Equal(Payload, SignedDataCodec.Verify(signed.Encode()).Content);
    }

    public void Dispose()
    {
        _ecCertificate.Dispose();
        _ecKey.Dispose();
        _scratch.Dispose();
    }

    private async Task RunOpenSslAsync(params string[] arguments)
    {
        var result = await OpenSsl.RunAsync(_scratch.Path, arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.StandardError}");
    }

    private static X509Certificate2 SelfSigned(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>What the gateway would write, minus signing-time and algorithm protection: each test changes one thing.</summary>
    private HandSignedData EcSigned() => new()
    {
        Content = Payload,
        Certificate = _ecCertificate,
        Key = _ecKey,
        SignatureAlgorithm = EcdsaWithSha256,
        SignedAttributes = [ContentType(CmsObjectIdentifiers.Data), MessageDigest(SHA256.HashData(Payload))],
    };

    private static void AssertRejected(string expectedCode, byte[] signedData)
    {
        var exception = Assert.Throws<EnvelopeException>(() => SignedDataCodec.Verify(signedData));
        Assert.Equal(expectedCode, exception.Code);
    }
}
