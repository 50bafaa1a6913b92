using Gateway.Crypto;
using Gateway.Crypto.Cms;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>Hostile or broken input is refused as MALFORMED, quickly and without an unhandled exception.</summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class MalformedEnvelopeTests(EcFederationFixture ec)
{
    [Fact]
    public void Empty_envelope_is_rejected_with_MALFORMED() => AssertMalformed([]);

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(300)]
    public void Envelope_truncated_at_the_end_is_rejected_with_MALFORMED(int bytesCut)
    {
        var envelope = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland));

        AssertMalformed(envelope[..^bytesCut]);
    }

    [Fact]
    public void Envelope_cut_to_its_first_half_is_rejected_with_MALFORMED()
    {
        var envelope = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland));

        AssertMalformed(envelope[..(envelope.Length / 2)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1024)]
    [InlineData(65536)]
    public void Random_bytes_are_rejected_with_MALFORMED(int size)
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var bytes = new byte[size];
            new Random(seed).NextBytes(bytes);

            AssertMalformed(bytes);
        }
    }

    [Theory]
    [InlineData("3005")]
    [InlineData("300500")]
    [InlineData("3003040500")]
    [InlineData("30800405")]
    public void Envelope_whose_short_declared_length_runs_past_the_end_is_rejected_with_MALFORMED(string hex)
    {
        AssertMalformed(Convert.FromHexString(hex));
    }

    [Fact]
    public void Random_bytes_behind_a_valid_outer_header_are_rejected_with_MALFORMED()
    {
        // SEQUENCE, the authEnvelopedData OID, [0] and a SEQUENCE, all with consistent lengths, then noise.
        var random = new Random(20250314);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var noise = new byte[200];
            random.NextBytes(noise);
            byte[] oid = [0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x17];
            byte[] inner = [0x30, 0x81, (byte)noise.Length, .. noise];
            byte[] explicitContent = [0xA0, 0x81, (byte)inner.Length, .. inner];
            byte[] contentInfo = [0x30, 0x81, (byte)(oid.Length + explicitContent.Length), .. oid, .. explicitContent];

            AssertMalformed(contentInfo);
        }
    }

    [Fact]
    public void Envelope_nested_ten_thousand_levels_deep_is_rejected_with_MALFORMED_without_exhausting_the_stack()
    {
        AssertMalformed(DeeplyNestedBer(10_000));
    }

    [Fact]
    public void Signed_content_nested_ten_thousand_levels_deep_inside_valid_encryption_is_rejected_with_MALFORMED()
    {
        var envelope = AuthEnvelopedDataWriter.Encrypt(DeeplyNestedBer(10_000), ec.EncryptionCertificateOf(Finland));

        AssertMalformed(envelope);
    }

    [Fact]
    public void Unencrypted_signed_data_is_rejected_with_MALFORMED()
    {
        var signedOnly = SignedDataCodec.Sign(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)), ec.SignerOf(Estonia), ec.Now);

        AssertMalformed(signedOnly);
    }

    [Fact]
    public void Encrypted_content_that_is_not_signed_data_is_rejected_with_MALFORMED()
    {
        var envelope = AuthEnvelopedDataWriter.Encrypt(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)), ec.EncryptionCertificateOf(Finland));

        AssertMalformed(envelope);
    }

    [Fact]
    public void A_certificate_instead_of_an_envelope_is_rejected_with_MALFORMED()
    {
        AssertMalformed(ec.EncryptionCertificateOf(Finland).RawData);
    }

    /// <summary>SEQUENCEs of indefinite length, each holding the next, closed by as many end-of-contents markers.</summary>
    private static byte[] DeeplyNestedBer(int depth)
    {
        var bytes = new byte[depth * 4];
        for (var i = 0; i < depth; i++)
        {
            bytes[2 * i] = 0x30;
            bytes[(2 * i) + 1] = 0x80;
        }

        return bytes;
    }

    private void AssertMalformed(byte[] envelope)
    {
        var exception = Assert.Throws<EnvelopeException>(() => ec.OpenerOf(Finland).Open(envelope));
        Assert.Equal(EnvelopeErrorCodes.Malformed, exception.Code);
    }
}
