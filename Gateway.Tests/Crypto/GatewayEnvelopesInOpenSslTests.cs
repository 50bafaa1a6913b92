using Gateway.Crypto.DevPki;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>A partner with nothing but <c>openssl cms</c> can read what the gateway seals (DESIGN §3, interoperability).</summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class GatewayEnvelopesInOpenSslTests(EcFederationFixture ec, RsaFederationFixture rsa) : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    [Theory]
    [InlineData(EncryptionKeyKind.Ec)]
    [InlineData(EncryptionKeyKind.Rsa)]
    public async Task Gateway_envelope_decrypts_in_openssl_and_verifies_against_the_senders_state_CA_to_the_exact_payload(EncryptionKeyKind recipientKey)
    {
        var federation = Federation(recipientKey);
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));
        await File.WriteAllBytesAsync(_scratch.File("env.der"), federation.Sealer.Seal(payload, federation.SignerOf(Estonia), federation.EncryptionCertificateOf(Finland)));

        await DecryptAsFinlandAsync(federation);

        // No -purpose any: OpenSSL's default S/MIME signing purpose accepts a certificate without extended key
        // usage whose key usage allows digitalSignature, which is exactly the gateway's signing certificate.
        await OpenSsl.CmsAsync(
            _scratch.Path, "-verify", "-binary", "-inform", "DER", "-in", "inner.der",
            "-CAfile", federation.CaFileOf(Estonia), "-out", "payload.json");

        Assert.Equal(payload, await File.ReadAllBytesAsync(_scratch.File("payload.json")));
    }

    [Fact]
    public async Task Gateway_envelope_does_not_verify_in_openssl_against_another_states_CA()
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));
        await File.WriteAllBytesAsync(_scratch.File("env.der"), ec.Sealer.Seal(payload, ec.SignerOf(Estonia), ec.EncryptionCertificateOf(Finland)));
        await DecryptAsFinlandAsync(ec);

        var verify = await OpenSsl.RunAsync(
            _scratch.Path,
            ["cms", "-verify", "-binary", "-inform", "DER", "-in", "inner.der", "-CAfile", ec.CaFileOf(Finland), "-out", "payload.json"]);

        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("certificate verify error", verify.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _scratch.Dispose();

    private DevFederationFixture Federation(EncryptionKeyKind kind) => kind == EncryptionKeyKind.Rsa ? rsa : ec;

    private Task<OpenSslResult> DecryptAsFinlandAsync(DevFederationFixture federation) =>
        OpenSsl.CmsAsync(
            _scratch.Path, "-decrypt", "-binary", "-inform", "DER", "-in", "env.der",
            "-recip", federation.FileOf(Finland, "enc.crt"), "-inkey", federation.FileOf(Finland, "enc.key"), "-out", "inner.der");
}
