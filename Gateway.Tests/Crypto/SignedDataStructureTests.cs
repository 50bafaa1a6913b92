using Gateway.Crypto;
using Gateway.Crypto.Cms;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using static Gateway.Tests.Crypto.DevFederationFixture;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace Gateway.Tests.Crypto;

/// <summary>
/// Damage inside the signed layer that BouncyCastle notices only lazily (certificates, keys, attributes) still ends in
/// a stable code, not in whatever exception its parser throws.
/// </summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class SignedDataStructureTests(EcFederationFixture ec)
{
    [Fact]
    public void Envelope_whose_included_signer_certificate_does_not_parse_is_rejected_with_MALFORMED()
    {
        var signed = SignFromEstonia();
        var certificate = ec.SignerOf(Estonia).Certificate.RawData;

        // SEQUENCE, SEQUENCE (tbsCertificate), then the [0] EXPLICIT version tag; [1] where [0] belongs.
        Assert.Equal(0xA0, certificate[8]);
        var tampered = Tampering.FlipByteWithin(signed, certificate, 8);

        AssertRejected(EnvelopeErrorCodes.Malformed, tampered);
    }

    [Fact]
    public void Envelope_whose_signer_certificate_BouncyCastle_reads_but_dotnet_refuses_is_rejected_with_MALFORMED()
    {
        var signed = SignFromEstonia();
        var certificate = ec.SignerOf(Estonia).Certificate.RawData;

        // The subject's O=EE-SKA value: PrintableString (0x13) becomes an application-class tag (0x53), which
        // BouncyCastle takes as any value and .NET rejects. The CMS signature does not cover the certificate.
        var organisation = certificate.AsSpan().IndexOf(Convert.FromHexString("55040A130645452D534B41"));
        Assert.True(organisation > 0);
        var tampered = Tampering.FlipByteWithin(signed, certificate, organisation + 3, mask: 0x40);

        AssertRejected(EnvelopeErrorCodes.Malformed, tampered);
    }

    [Fact]
    public void Envelope_whose_signer_certificate_has_an_impossible_validity_date_is_rejected_with_MALFORMED()
    {
        var signed = SignFromEstonia();
        var certificate = ec.SignerOf(Estonia).Certificate.RawData;

        // notBefore is the first UTCTime (tag 0x17, 13 bytes YYMMDDhhmmssZ); a tens-of-months digit of 9 is no month.
        var notBefore = certificate.AsSpan().IndexOf([(byte)0x17, (byte)0x0D]);
        var monthTens = notBefore + 2 + 2;
        var tampered = Tampering.FlipByteWithin(signed, certificate, monthTens, (byte)(certificate[monthTens] ^ '9'));

        AssertRejected(EnvelopeErrorCodes.Malformed, tampered);
    }

    [Fact]
    public void Envelope_whose_signer_certificate_holds_no_valid_public_key_is_rejected_with_SIGNATURE_INVALID()
    {
        var signed = SignFromEstonia();
        var publicKey = ec.SignerOf(Estonia).Certificate.PublicKey.EncodedKeyValue.RawData;

        // 0x04 marks an uncompressed point; 0x05 marks nothing.
        Assert.Equal(0x04, publicKey[0]);
        var tampered = Tampering.FlipByteWithin(signed, publicKey, 0);

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, tampered);
    }

    [Fact]
    public void Envelope_signed_over_a_signing_time_that_is_not_a_time_is_rejected_with_SIGNATURE_INVALID()
    {
        var signer = ec.SignerOf(Estonia);
        var notATime = new Attribute(CmsAttributes.SigningTime, new DerSet(DerInteger.ValueOf(7)));
        var signerInfo = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(new Asn1EncodableVector(notATime))))
            .Build(signer.SignatureFactory, signer.BouncyCertificate);
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(signerInfo);
        generator.AddCertificate(signer.BouncyCertificate);
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));

        var signed = generator.Generate(new CmsProcessableByteArray(payload), encapsulate: true).GetEncoded(Asn1Encodable.Der);

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, signed);
    }

    private byte[] SignFromEstonia() =>
        SignedDataCodec.Sign(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)), ec.SignerOf(Estonia), ec.Now);

    private void AssertRejected(string expectedCode, byte[] signedData)
    {
        var envelope = AuthEnvelopedDataWriter.Encrypt(signedData, ec.EncryptionCertificateOf(Finland));
        var exception = Assert.Throws<EnvelopeException>(() => ec.OpenerOf(Finland).Open(envelope));
        Assert.Equal(expectedCode, exception.Code);
    }
}
