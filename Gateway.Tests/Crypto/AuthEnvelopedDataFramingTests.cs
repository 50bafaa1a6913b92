using Gateway.Crypto.Cms;
using Gateway.Crypto.Identity;
using Org.BouncyCastle.Asn1;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>
/// The AuthEnvelopedData frame is written by hand around content encrypted in place: it must be exactly the DER an
/// ASN.1 encoder writes, at every length form (short, one, two and three length bytes), and decrypt to the content.
/// </summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class AuthEnvelopedDataFramingTests(EcFederationFixture ec, RsaFederationFixture rsa)
{
    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(1_048_576)]
    public void The_frame_is_canonical_DER_and_decrypts_to_the_content(int size)
    {
        var content = new byte[size];
        Random.Shared.NextBytes(content);
        foreach (var federation in new DevFederationFixture[] { ec, rsa })
        {
            var envelope = AuthEnvelopedDataWriter.Encrypt(content, federation.EncryptionCertificateOf(Finland));

            Assert.Equal(envelope, Asn1Object.FromByteArray(envelope).GetEncoded(Asn1Encodable.Der));
            var identity = DecryptionIdentity.FromPemFiles(federation.FileOf(Finland, "enc.crt"), federation.FileOf(Finland, "enc.key"));
            Assert.Equal(content, EnvelopeDecryptor.Decrypt(envelope, identity, acceptCbc: false).Content);
        }
    }
}
