using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;

namespace Gateway.Crypto.Cms;

/// <summary>
/// Writes ContentInfo(AuthEnvelopedData) (RFC 5083) with AES-256-GCM (RFC 5084): 12-byte nonce, 16-byte tag in
/// <c>mac</c>, no authenticated attributes. BouncyCastle keeps its own AuthEnvelopedData generator internal, so
/// the structure is assembled here: the small parts with its public ASN.1 classes, the frame by hand, so that the
/// content is encrypted straight into the one output array (DER lengths are known in advance) instead of being
/// copied into a ciphertext array, an ASN.1 object and an encoder's growing buffer.
/// </summary>
internal static class AuthEnvelopedDataWriter
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] Encrypt(byte[] content, X509Certificate2 recipient)
    {
        var contentKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(NonceSize);
            var recipientInfo = RecipientInfoWriter.Create(recipient, contentKey);

            // ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT AuthEnvelopedData }
            // AuthEnvelopedData ::= SEQUENCE { version 0, recipientInfos SET, authEncryptedContentInfo, mac OCTET STRING }
            // EncryptedContentInfo ::= SEQUENCE { contentType id-data, algorithm, [0] IMPLICIT OCTET STRING ciphertext }
            var contentType = CmsObjectIdentifiers.AuthEnvelopedData.GetEncoded(Asn1Encodable.Der);
            var version = DerInteger.ValueOf(0).GetEncoded(Asn1Encodable.Der);
            var recipientInfos = new DerSet(recipientInfo).GetEncoded(Asn1Encodable.Der);
            var innerType = CmsObjectIdentifiers.Data.GetEncoded(Asn1Encodable.Der);
            var algorithm = new AlgorithmIdentifier(NistObjectIdentifiers.IdAes256Gcm, new GcmParameters(nonce, TagSize)).GetEncoded(Asn1Encodable.Der);
            var macLength = Framed(TagSize);

            var encryptedContentLength = Framed(content.Length);
            var encryptedContentInfoLength = Framed(innerType.Length + algorithm.Length + encryptedContentLength);
            var authEnvelopedLength = Framed(version.Length + recipientInfos.Length + encryptedContentInfoLength + macLength);
            var explicitLength = Framed(authEnvelopedLength);
            var output = new byte[Framed(contentType.Length + explicitLength)];

            var at = WriteHeader(output, 0, 0x30, contentType.Length + explicitLength);
            at = Write(output, at, contentType);
            at = WriteHeader(output, at, 0xA0, authEnvelopedLength);
            at = WriteHeader(output, at, 0x30, version.Length + recipientInfos.Length + encryptedContentInfoLength + macLength);
            at = Write(output, at, version);
            at = Write(output, at, recipientInfos);
            at = WriteHeader(output, at, 0x30, innerType.Length + algorithm.Length + encryptedContentLength);
            at = Write(output, at, innerType);
            at = Write(output, at, algorithm);
            at = WriteHeader(output, at, 0x80, content.Length);
            var ciphertext = output.AsSpan(at, content.Length);
            at += content.Length;
            at = WriteHeader(output, at, 0x04, TagSize);
            var tag = output.AsSpan(at, TagSize);
            using (var gcm = new AesGcm(contentKey, TagSize))
            {
                gcm.Encrypt(nonce, content, ciphertext, tag);
            }

            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    /// <summary>The size of a DER element whose contents are <paramref name="contentLength"/> bytes.</summary>
    private static int Framed(int contentLength) => 1 + LengthOfLength(contentLength) + contentLength;

    private static int LengthOfLength(int length) => length switch
    {
        < 0x80 => 1,
        <= 0xFF => 2,
        <= 0xFFFF => 3,
        <= 0xFFFFFF => 4,
        _ => 5,
    };

    private static int WriteHeader(byte[] output, int at, byte tag, int contentLength)
    {
        output[at++] = tag;
        var lengthOfLength = LengthOfLength(contentLength);
        if (lengthOfLength == 1)
        {
            output[at++] = (byte)contentLength;
            return at;
        }

        output[at++] = (byte)(0x80 | (lengthOfLength - 1));
        for (var shift = (lengthOfLength - 2) * 8; shift >= 0; shift -= 8)
        {
            output[at++] = (byte)(contentLength >> shift);
        }

        return at;
    }

    private static int Write(byte[] output, int at, byte[] part)
    {
        part.CopyTo(output, at);
        return at + part.Length;
    }
}
