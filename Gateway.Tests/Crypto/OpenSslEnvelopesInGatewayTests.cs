using Gateway.Crypto;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>
/// What a partner makes with <c>openssl cms -sign</c> then <c>openssl cms -encrypt</c> opens in the gateway, for each
/// content cipher and key-management variant OpenSSL 3.0 offers that the protocol accepts.
/// </summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class OpenSslEnvelopesInGatewayTests(EcFederationFixture ec, RsaFederationFixture rsa) : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    [Theory]
    [InlineData("-aes-256-gcm", null, ProtocolOids.AuthEnvelopedData, ProtocolOids.EcdhStdSha1Kdf)]
    [InlineData("-aes-256-gcm", "ecdh_kdf_md:sha256", ProtocolOids.AuthEnvelopedData, ProtocolOids.EcdhStdSha256Kdf)]
    [InlineData("-aes-256-cbc", null, ProtocolOids.EnvelopedData, ProtocolOids.EcdhStdSha1Kdf)]
    [InlineData("-aes-256-cbc", "ecdh_kdf_md:sha256", ProtocolOids.EnvelopedData, ProtocolOids.EcdhStdSha256Kdf)]
    public async Task OpenSsl_envelope_to_an_EC_recipient_opens_with_the_payload_and_signer(
        string cipher, string? kdfOption, string expectedContentType, string expectedKeyAgreement)
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));
        string[] recipient = kdfOption is null
            ? ["-recip", ec.FileOf(Finland, "enc.crt")]
            : ["-recip", ec.FileOf(Finland, "enc.crt"), "-keyopt", kdfOption];

        var envelope = await SignAndEncryptWithOpenSslAsync(ec, payload, cipher, recipient);

        // The variant under test is the one OpenSSL actually wrote.
        Assert.Equal(expectedContentType, CmsParts.ContentType(envelope));
        Assert.Equal(expectedKeyAgreement, CmsParts.KeyEncryptionAlgorithm(envelope).Algorithm.Id);
        var opened = ec.OpenerOf(Finland).Open(envelope);
        Assert.Equal(payload, opened.PayloadJson);
        Assert.Equal(Estonia, opened.Sender.Id);
    }

    [Theory]
    [InlineData("-aes-256-gcm", ProtocolOids.AuthEnvelopedData)]
    [InlineData("-aes-256-cbc", ProtocolOids.EnvelopedData)]
    public async Task OpenSsl_envelope_to_an_RSA_recipient_with_OAEP_SHA_256_opens_with_the_payload_and_signer(string cipher, string expectedContentType)
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));

        var envelope = await SignAndEncryptWithOpenSslAsync(
            rsa, payload, cipher,
            ["-recip", rsa.FileOf(Finland, "enc.crt"), "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"]);

        Assert.Equal(expectedContentType, CmsParts.ContentType(envelope));
        Assert.Equal(ProtocolOids.RsaesOaep, CmsParts.KeyEncryptionAlgorithm(envelope).Algorithm.Id);
        var opened = rsa.OpenerOf(Finland).Open(envelope);
        Assert.Equal(payload, opened.PayloadJson);
        Assert.Equal(Estonia, opened.Sender.Id);
    }

    [Fact]
    public async Task OpenSsl_envelope_with_RSA_PKCS1_v1_5_key_transport_is_refused_with_UNSUPPORTED_ALGORITHM()
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));

        // OpenSSL's default RSA padding. Refused on purpose: a network endpoint that decrypts PKCS#1 v1.5 offers a
        // padding oracle (Bleichenbacher), whatever it answers.
        var envelope = await SignAndEncryptWithOpenSslAsync(rsa, payload, "-aes-256-gcm", ["-recip", rsa.FileOf(Finland, "enc.crt")]);

        Assert.Equal(ProtocolOids.RsaEncryption, CmsParts.KeyEncryptionAlgorithm(envelope).Algorithm.Id);
        var exception = Assert.Throws<EnvelopeException>(() => rsa.OpenerOf(Finland).Open(envelope));
        Assert.Equal(EnvelopeErrorCodes.UnsupportedAlgorithm, exception.Code);
    }

    [Fact]
    public async Task OpenSsl_envelope_signed_over_a_SHA_1_digest_is_refused_with_UNSUPPORTED_ALGORITHM()
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));

        var envelope = await SignAndEncryptWithOpenSslAsync(
            ec, payload, "-aes-256-gcm", ["-recip", ec.FileOf(Finland, "enc.crt"), "-keyopt", "ecdh_kdf_md:sha256"], digest: "sha1");

        var exception = Assert.Throws<EnvelopeException>(() => ec.OpenerOf(Finland).Open(envelope));
        Assert.Equal(EnvelopeErrorCodes.UnsupportedAlgorithm, exception.Code);
    }

    public void Dispose() => _scratch.Dispose();

    private Task<byte[]> SignAndEncryptWithOpenSslAsync(DevFederationFixture federation, byte[] payload, string cipher, string[] recipient, string digest = "sha256") =>
        OpenSsl.SignAndEncryptAsync(_scratch.Path, payload, federation.FileOf(Estonia, "sign.crt"), federation.FileOf(Estonia, "sign.key"), cipher, recipient, digest);
}
