using Gateway.Crypto;
using Gateway.Crypto.Cms;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>One flipped byte anywhere that matters is caught, by the GCM tag, the key wrap or the signature.</summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class EnvelopeTamperingTests(EcFederationFixture ec, RsaFederationFixture rsa)
{
    [Fact]
    public void Envelope_with_a_flipped_byte_in_the_GCM_ciphertext_is_rejected_with_DECRYPTION_FAILED()
    {
        var envelope = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland));
        var ciphertext = CmsParts.GcmCiphertext(envelope);

        var tampered = Tampering.FlipByteWithin(envelope, ciphertext, ciphertext.Length / 2);

        AssertRejected(EnvelopeErrorCodes.DecryptionFailed, ec, tampered);
    }

    [Fact]
    public void Envelope_with_a_flipped_byte_in_the_GCM_tag_is_rejected_with_DECRYPTION_FAILED()
    {
        var envelope = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland));
        var tag = CmsParts.GcmTag(envelope);

        var tampered = Tampering.FlipByteWithin(envelope, tag, tag.Length - 1);

        AssertRejected(EnvelopeErrorCodes.DecryptionFailed, ec, tampered);
    }

    [Fact]
    public void Envelope_with_a_flipped_byte_in_the_ECDH_wrapped_content_key_is_rejected_with_DECRYPTION_FAILED()
    {
        var envelope = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland));
        var wrappedKey = CmsParts.EncryptedContentKey(envelope);

        var tampered = Tampering.FlipByteWithin(envelope, wrappedKey, wrappedKey.Length / 2);

        AssertRejected(EnvelopeErrorCodes.DecryptionFailed, ec, tampered);
    }

    [Fact]
    public void Envelope_with_a_flipped_byte_in_the_RSA_OAEP_encrypted_content_key_is_rejected_with_DECRYPTION_FAILED()
    {
        var envelope = rsa.Seal(SyntheticPayloads.Consultation(Estonia, Finland));
        var encryptedKey = CmsParts.EncryptedContentKey(envelope);

        var tampered = Tampering.FlipByteWithin(envelope, encryptedKey, encryptedKey.Length / 2);

        AssertRejected(EnvelopeErrorCodes.DecryptionFailed, rsa, tampered);
    }

    [Fact]
    public void Envelope_tampered_in_the_signed_content_before_encryption_is_rejected_with_SIGNATURE_INVALID()
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));
        var signed = SignedDataCodec.Sign(payload, ec.SignerOf(Estonia), ec.Now);

        // Re-encrypting after the change models a sender-side (or key-holding) attacker: only the signature can tell.
        var tampered = Tampering.FlipByteWithin(signed, payload, payload.Length / 2);
        var envelope = AuthEnvelopedDataWriter.Encrypt(tampered, ec.EncryptionCertificateOf(Finland));

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, ec, envelope);
    }

    [Fact]
    public void Envelope_tampered_in_the_signature_value_is_rejected_with_SIGNATURE_INVALID()
    {
        var signed = SignedDataCodec.Sign(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)), ec.SignerOf(Estonia), ec.Now);
        var signature = CmsParts.SignatureValue(signed);

        // The last byte belongs to the value of s, so the DER of the ECDSA signature stays well-formed.
        var tampered = Tampering.FlipByteWithin(signed, signature, signature.Length - 1);
        var envelope = AuthEnvelopedDataWriter.Encrypt(tampered, ec.EncryptionCertificateOf(Finland));

        AssertRejected(EnvelopeErrorCodes.SignatureInvalid, ec, envelope);
    }

    private static void AssertRejected(string expectedCode, DevFederationFixture federation, byte[] envelope)
    {
        var exception = Assert.Throws<EnvelopeException>(() => federation.OpenerOf(Finland).Open(envelope));
        Assert.Equal(expectedCode, exception.Code);
    }
}
