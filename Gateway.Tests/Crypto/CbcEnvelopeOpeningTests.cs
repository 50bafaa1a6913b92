using Gateway.Crypto;
using Gateway.Crypto.Cms;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Peers;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>
/// AES-CBC as a network endpoint opens it (<see cref="EnvelopeOpener.Open(byte[], string)"/>): only from a peer
/// configured with acceptCbc, refused before decryption from any other, and once the content key is recovered every
/// failure is the same DECRYPTION_FAILED with the same message, so no altered ciphertext is answered differently from
/// another (no padding oracle). The PKCS#7 check behind it is judged against the definition.
/// </summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class CbcEnvelopeOpeningTests(EcFederationFixture ec) : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    [Fact]
    public async Task An_AES_CBC_envelope_delivered_by_a_peer_without_acceptCbc_is_refused_with_UNSUPPORTED_ALGORITHM()
    {
        var envelope = await SealCbcWithOpenSslAsync();

        var exception = Assert.Throws<EnvelopeException>(() => ec.OpenerOf(Finland).Open(envelope, deliveredBy: Estonia));

        Assert.Equal(EnvelopeErrorCodes.UnsupportedAlgorithm, exception.Code);
    }

    [Fact]
    public async Task An_AES_CBC_envelope_delivered_by_a_peer_with_acceptCbc_opens_with_its_payload()
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));
        var envelope = await SealCbcWithOpenSslAsync(payload);

        var opened = OpenerAcceptingCbcFromEstonia().Open(envelope, deliveredBy: Estonia);

        Assert.Equal(payload, opened.PayloadJson);
    }

    [Fact]
    public async Task Every_single_byte_corruption_of_the_CBC_ciphertext_opens_unchanged_or_fails_with_one_code_and_one_message()
    {
        var payload = SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland));
        var envelope = await SealCbcWithOpenSslAsync(payload);
        var ciphertextStart = envelope.Length - CmsParts.CbcCiphertext(envelope).Length;
        var opener = OpenerAcceptingCbcFromEstonia();
        var random = new Random(3565);
        var answers = new HashSet<string>();

        for (var position = ciphertextStart; position < envelope.Length; position++)
        {
            var corrupted = Tampering.FlipByteAt(envelope, position, (byte)(1 << random.Next(8)));
            try
            {
                Assert.Equal(payload, opener.Open(corrupted, deliveredBy: Estonia).PayloadJson);
            }
            catch (EnvelopeException exception)
            {
                answers.Add($"{exception.Code}: {exception.Message}");
            }
        }

        Assert.Equal([$"{EnvelopeErrorCodes.DecryptionFailed}: {EnvelopeDecryptor.CbcContentFailure}"], answers);
    }

    [Fact]
    public void The_padding_check_accepts_exactly_1_to_16_trailing_bytes_each_equal_to_their_count()
    {
        var random = new Random(5652);
        for (var claimed = 0; claimed < 256; claimed++)
        {
            foreach (var wrongAt in Enumerable.Range(2, 15).Prepend(0))
            {
                // 32 bytes: a block of anything, then a last block of `claimed` repeated, with one byte before the last
                // (the claim itself) changed, or none.
                var plaintext = new byte[32];
                random.NextBytes(plaintext);
                plaintext.AsSpan(16).Fill((byte)claimed);
                if (wrongAt > 0)
                {
                    plaintext[^wrongAt] ^= (byte)(1 + random.Next(255));
                }

                var valid = claimed is >= 1 and <= 16 && (wrongAt == 0 || wrongAt > claimed);

                Assert.Equal(valid ? claimed : 0, EnvelopeDecryptor.Pkcs7PaddingLength(plaintext));
            }
        }
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>FI-NRM's opener with EE-SKA configured as <c>"acceptCbc": true</c>.</summary>
    private EnvelopeOpener OpenerAcceptingCbcFromEstonia()
    {
        var registry = ec.Federation.RegistryFor(Finland);
        var peers = new PeerDirectory(registry with { Peers = [.. registry.Peers.Select(peer => peer.Id == Estonia ? peer with { AcceptCbc = true } : peer)] });
        Assert.True(peers.Find(Estonia)!.AcceptCbc);
        return ec.OpenerOf(Finland, peers);
    }

    private Task<byte[]> SealCbcWithOpenSslAsync(byte[]? payload = null) =>
        OpenSsl.SignAndEncryptAsync(
            _scratch.Path, payload ?? SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)), ec.FileOf(Estonia, "sign.crt"), ec.FileOf(Estonia, "sign.key"),
            "-aes-256-cbc", ["-recip", ec.FileOf(Finland, "enc.crt"), "-keyopt", "ecdh_kdf_md:sha256"]);
}
