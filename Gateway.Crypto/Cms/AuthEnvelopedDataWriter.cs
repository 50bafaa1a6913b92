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
/// the structure is assembled here from its public ASN.1 classes.
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
            var ciphertext = new byte[content.Length];
            var tag = new byte[TagSize];
            using (var gcm = new AesGcm(contentKey, TagSize))
            {
                gcm.Encrypt(nonce, content, ciphertext, tag);
            }

            var recipientInfo = RecipientInfoWriter.Create(recipient, contentKey);
            var encryptedContentInfo = new EncryptedContentInfo(
                CmsObjectIdentifiers.Data,
                new AlgorithmIdentifier(NistObjectIdentifiers.IdAes256Gcm, new GcmParameters(nonce, TagSize)),
                new DerOctetString(ciphertext));
            var authEnveloped = new AuthEnvelopedData(
                originatorInfo: null,
                recipientInfos: new DerSet(recipientInfo),
                authEncryptedContentInfo: encryptedContentInfo,
                authAttrs: null,
                mac: new DerOctetString(tag),
                unauthAttrs: null);
            return new ContentInfo(CmsObjectIdentifiers.AuthEnvelopedData, authEnveloped).GetEncoded(Asn1Encodable.Der);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }
}
