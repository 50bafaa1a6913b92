using Gateway.Crypto.Cms;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>The algorithms and attributes docs/protocol.md promises partners, read back from what the gateway writes.</summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class EnvelopeFormatTests(EcFederationFixture ec, RsaFederationFixture rsa)
{
    [Fact]
    public void Envelope_is_AuthEnvelopedData_with_AES_256_GCM()
    {
        var envelope = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland));

        Assert.Equal(ProtocolOids.AuthEnvelopedData, CmsParts.ContentType(envelope));
        Assert.Equal(ProtocolOids.Aes256Gcm, CmsParts.ContentEncryptionAlgorithm(envelope));
        Assert.Equal(16, CmsParts.GcmTag(envelope).Length);
    }

    [Fact]
    public void EC_recipient_gets_ECDH_with_the_SHA_256_KDF_and_AES_256_key_wrap_without_wrap_parameters()
    {
        var envelope = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland));

        var keyAgreement = CmsParts.KeyEncryptionAlgorithm(envelope);

        Assert.Equal(ProtocolOids.EcdhStdSha256Kdf, keyAgreement.Algorithm.Id);
        var keyWrap = Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier.GetInstance(keyAgreement.Parameters);
        Assert.Equal(ProtocolOids.Aes256Wrap, keyWrap.Algorithm.Id);
        Assert.Null(keyWrap.Parameters);
    }

    [Fact]
    public void RSA_recipient_gets_RSA_OAEP_with_SHA_256_and_MGF1_SHA_256()
    {
        var envelope = rsa.Seal(SyntheticPayloads.Consultation(Estonia, Finland));

        var keyTransport = CmsParts.KeyEncryptionAlgorithm(envelope);

        Assert.Equal(ProtocolOids.RsaesOaep, keyTransport.Algorithm.Id);
        var oaep = Org.BouncyCastle.Asn1.Pkcs.RsaesOaepParameters.GetInstance(keyTransport.Parameters);
        Assert.Equal(ProtocolOids.Sha256, oaep.HashAlgorithm.Algorithm.Id);
        Assert.Equal(ProtocolOids.Sha256, Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier.GetInstance(oaep.MaskGenAlgorithm.Parameters).Algorithm.Id);
    }

    [Fact]
    public void Signed_data_is_ECDSA_SHA_256_with_content_type_message_digest_and_signing_time_attributes()
    {
        var signed = SignedDataCodec.Sign(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)), ec.SignerOf(Estonia), ec.Now);

        Assert.Equal(ProtocolOids.EcdsaWithSha256, CmsParts.SignatureAlgorithm(signed));
        // BouncyCastle adds CMS algorithm protection (RFC 6211) as well; more signed attributes only bind more.
        Assert.Superset(
            new HashSet<string> { ProtocolOids.ContentTypeAttribute, ProtocolOids.MessageDigestAttribute, ProtocolOids.SigningTimeAttribute },
            CmsParts.SignedAttributeTypes(signed).ToHashSet());
    }
}
