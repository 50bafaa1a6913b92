using Gateway.Crypto;
using Gateway.Crypto.Cms;
using Gateway.Crypto.Envelopes;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>
/// Exhaustive single-byte corruption: whichever byte changes, the opener either refuses with a stable code or (for the
/// few fields CMS leaves unprotected, such as version numbers) yields the very payload that was signed; it never throws
/// anything else and never yields different content.
/// </summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class EnvelopeBitFlipTests(EcFederationFixture ec, RsaFederationFixture rsa) : IDisposable
{
    private static readonly HashSet<string> KnownCodes = typeof(EnvelopeErrorCodes).GetFields()
        .Select(field => (string)field.GetRawConstantValue()!).ToHashSet();

    private readonly ScratchDirectory _scratch = new();

    [Fact]
    public void Envelope_to_an_EC_recipient_with_any_single_byte_corrupted_is_refused_with_a_code_or_opens_unchanged()
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));

        var envelope = ec.Sealer.Seal(payload, ec.SignerOf(Estonia), ec.EncryptionCertificateOf(Finland));

        AssertEveryCorruptionHandled(ec.OpenerOf(Finland), envelope, payload, seed: 5083);
    }

    [Fact]
    public void Envelope_to_an_RSA_recipient_with_any_single_byte_corrupted_is_refused_with_a_code_or_opens_unchanged()
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));

        var envelope = rsa.Sealer.Seal(payload, rsa.SignerOf(Estonia), rsa.EncryptionCertificateOf(Finland));

        AssertEveryCorruptionHandled(rsa.OpenerOf(Finland), envelope, payload, seed: 8017);
    }

    [Fact]
    public async Task OpenSsl_AES_CBC_envelope_with_any_single_byte_corrupted_is_refused_with_a_code_or_opens_unchanged()
    {
        // CBC has no integrity of its own: corrupted ciphertext reaches the SignedData parser as garbage.
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));
        var envelope = await OpenSsl.SignAndEncryptAsync(
            _scratch.Path, payload, ec.FileOf(Estonia, "sign.crt"), ec.FileOf(Estonia, "sign.key"), "-aes-256-cbc", ["-recip", ec.FileOf(Finland, "enc.crt")]);

        AssertEveryCorruptionHandled(ec.OpenerOf(Finland), envelope, payload, seed: 5652);
    }

    [Fact]
    public void Signed_data_with_any_single_byte_corrupted_before_encryption_is_refused_with_a_code_or_opens_unchanged()
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));
        var signed = SignedDataCodec.Sign(payload, ec.SignerOf(Estonia), ec.Now);
        var opener = ec.OpenerOf(Finland);
        var random = new Random(5753);

        for (var position = 0; position < signed.Length; position++)
        {
            var corrupted = Tampering.FlipByteAt(signed, position, (byte)(1 << random.Next(8)));
            var envelope = AuthEnvelopedDataWriter.Encrypt(corrupted, ec.EncryptionCertificateOf(Finland));

            AssertRefusedOrUnchanged(opener, envelope, payload, position);
        }
    }

    public void Dispose() => _scratch.Dispose();

    private static void AssertEveryCorruptionHandled(EnvelopeOpener opener, byte[] envelope, byte[] payload, int seed)
    {
        var random = new Random(seed);
        for (var position = 0; position < envelope.Length; position++)
        {
            var corrupted = Tampering.FlipByteAt(envelope, position, (byte)(1 << random.Next(8)));

            AssertRefusedOrUnchanged(opener, corrupted, payload, position);
        }
    }

    private static void AssertRefusedOrUnchanged(EnvelopeOpener opener, byte[] envelope, byte[] payload, int position)
    {
        byte[] opened;
        try
        {
            opened = opener.Open(envelope).PayloadJson;
        }
        catch (EnvelopeException exception)
        {
            Assert.Contains(exception.Code, KnownCodes);
            return;
        }
        catch (Exception exception)
        {
            Assert.Fail($"corrupting byte {position} ended in {exception.GetType().Name} instead of an EnvelopeException: {exception}");
            return;
        }

        Assert.True(opened.AsSpan().SequenceEqual(payload), $"corrupting byte {position} opened to content other than what was signed");
    }
}
