using System.Security.Cryptography;
using Gateway.Crypto.Identity;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;

namespace Gateway.Crypto.Cms;

/// <summary>
/// Reads the outer layer of an envelope: AuthEnvelopedData with AES-GCM (what the gateway writes), or
/// EnvelopedData with AES-CBC (what <c>openssl cms -encrypt</c> writes by default), and returns the decrypted
/// inner content, which must be a ContentInfo(SignedData).
/// </summary>
internal static class EnvelopeDecryptor
{
    private static readonly Dictionary<DerObjectIdentifier, int> GcmKeyLengths = new()
    {
        [NistObjectIdentifiers.IdAes256Gcm] = 32,
        [NistObjectIdentifiers.IdAes192Gcm] = 24,
        [NistObjectIdentifiers.IdAes128Gcm] = 16,
    };

    private static readonly Dictionary<DerObjectIdentifier, int> CbcKeyLengths = new()
    {
        [NistObjectIdentifiers.IdAes256Cbc] = 32,
        [NistObjectIdentifiers.IdAes192Cbc] = 24,
        [NistObjectIdentifiers.IdAes128Cbc] = 16,
    };

    public static byte[] Decrypt(byte[] envelope, DecryptionIdentity identity)
    {
        Asn1Guard.EnsureWellFormed(envelope);
        ContentInfo contentInfo;
        try
        {
            contentInfo = ContentInfo.GetInstance(Asn1Object.FromByteArray(envelope));
        }
        catch (Exception exception) when (SignedDataCodec.IsParseFailure(exception))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "not a CMS ContentInfo", exception);
        }

        try
        {
            if (CmsObjectIdentifiers.AuthEnvelopedData.Equals(contentInfo.ContentType))
            {
                var authEnveloped = AuthEnvelopedData.GetInstance(contentInfo.Content);
                var contentKey = RecipientKeyRecovery.RecoverContentKey(authEnveloped.RecipientInfos, identity);
                try
                {
                    return DecryptGcm(authEnveloped, contentKey);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(contentKey);
                }
            }

            if (CmsObjectIdentifiers.EnvelopedData.Equals(contentInfo.ContentType))
            {
                var enveloped = EnvelopedData.GetInstance(contentInfo.Content);
                var contentKey = RecipientKeyRecovery.RecoverContentKey(enveloped.RecipientInfos, identity);
                try
                {
                    return DecryptCbc(enveloped.EncryptedContentInfo, contentKey);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(contentKey);
                }
            }
        }
        catch (Exception exception) when (exception is not EnvelopeException && SignedDataCodec.IsParseFailure(exception))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "the enveloped data structure is not valid", exception);
        }

        throw new EnvelopeException(EnvelopeErrorCodes.Malformed, $"expected authenticated-enveloped or enveloped data, found content type {contentInfo.ContentType.Id}");
    }

    private static byte[] DecryptGcm(AuthEnvelopedData authEnveloped, byte[] contentKey)
    {
        var info = authEnveloped.AuthEncryptedContentInfo;
        var algorithm = info.ContentEncryptionAlgorithm;
        if (!GcmKeyLengths.TryGetValue(algorithm.Algorithm, out var keyLength))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, $"content encryption {algorithm.Algorithm.Id} is not AES-GCM");
        }

        var parameters = GcmParameters.GetInstance(algorithm.Parameters);
        var nonce = parameters.GetNonce();
        var tag = authEnveloped.Mac.GetOctets();
        if (nonce.Length != 12 || tag.Length != parameters.IcvLen || tag.Length is < 12 or > 16)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, "AES-GCM needs a 12-byte nonce and a 12 to 16-byte tag that matches its parameters");
        }

        EnsureKeyLength(keyLength, contentKey);
        var ciphertext = info.EncryptedContent?.GetOctets()
            ?? throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "the encrypted content is missing");

        // RFC 5083 §2.2: with authenticated attributes the AAD is their DER as a SET OF; without, it is empty.
        var additionalData = authEnveloped.AuthAttrs is { } attributes
            ? new DerSet(attributes.ToArray()).GetEncoded(Asn1Encodable.Der)
            : [];

        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var gcm = new AesGcm(contentKey, tag.Length);
            gcm.Decrypt(nonce, ciphertext, tag, plaintext, additionalData);
        }
        catch (CryptographicException exception)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, "the authentication tag does not match the content", exception);
        }

        return plaintext;
    }

    private static byte[] DecryptCbc(EncryptedContentInfo info, byte[] contentKey)
    {
        var algorithm = info.ContentEncryptionAlgorithm;
        if (!CbcKeyLengths.TryGetValue(algorithm.Algorithm, out var keyLength))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, $"content encryption {algorithm.Algorithm.Id} is not AES-CBC");
        }

        EnsureKeyLength(keyLength, contentKey);
        var iv = Asn1OctetString.GetInstance(algorithm.Parameters).GetOctets();
        var ciphertext = info.EncryptedContent?.GetOctets()
            ?? throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "the encrypted content is missing");
        if (iv.Length != 16 || ciphertext.Length == 0 || ciphertext.Length % 16 != 0)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "AES-CBC needs a 16-byte IV and whole blocks of ciphertext");
        }

        try
        {
            using var aes = Aes.Create();
            aes.Key = contentKey;
            return aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException exception)
        {
            // Unauthenticated CBC: a padding failure says nothing more than "wrong key or altered"; the signature
            // inside is what protects integrity here.
            throw new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, "the content could not be decrypted", exception);
        }
    }

    private static void EnsureKeyLength(int expected, byte[] contentKey)
    {
        if (contentKey.Length != expected)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, "the recovered content key has the wrong length");
        }
    }
}
