using System.Security.Cryptography;
using Gateway.Crypto.Identity;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;

namespace Gateway.Crypto.Cms;

/// <summary>
/// Reads the outer layer of an envelope: AuthEnvelopedData with AES-GCM (what the gateway writes), or, when the
/// caller accepts it, EnvelopedData with AES-CBC (what <c>openssl cms -encrypt -aes-256-cbc</c> writes), and returns
/// the decrypted inner content, which must be a ContentInfo(SignedData).
/// </summary>
internal static class EnvelopeDecryptor
{
    /// <summary>
    /// The one failure of an AES-CBC envelope once its content key is recovered, whatever went wrong (padding,
    /// structure, signature, signer): a different answer for each would be a padding oracle.
    /// </summary>
    public const string CbcContentFailure = "the AES-CBC content does not decrypt to a signed message this node accepts";

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

    /// <param name="acceptCbc">
    /// Whether EnvelopedData (AES-CBC) may be decrypted at all; when not, it is refused with UNSUPPORTED_ALGORITHM
    /// before its content key is touched.
    /// </param>
    public static DecryptedContent Decrypt(byte[] envelope, DecryptionIdentity identity, bool acceptCbc)
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
                    return new DecryptedContent(DecryptGcm(authEnveloped, contentKey), Authenticated: true, PaddingValid: true);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(contentKey);
                }
            }

            if (CmsObjectIdentifiers.EnvelopedData.Equals(contentInfo.ContentType))
            {
                if (!acceptCbc)
                {
                    throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, "enveloped data (AES-CBC) is not accepted from this peer; send authenticated-enveloped data with AES-GCM");
                }

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

    /// <summary>
    /// AES-CBC without the padding judged on the way: the padding's verdict travels with the content, which goes on to
    /// be parsed and verified either way, so a bad padding costs about what a bad signature does.
    /// </summary>
    private static DecryptedContent DecryptCbc(EncryptedContentInfo info, byte[] contentKey)
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

        using var aes = Aes.Create();
        aes.Key = contentKey;
        var plaintext = aes.DecryptCbc(ciphertext, iv, PaddingMode.None);
        var padding = Pkcs7PaddingLength(plaintext);
        return new DecryptedContent(padding > 0 ? plaintext[..^padding] : plaintext, Authenticated: false, PaddingValid: padding > 0);
    }

    /// <summary>
    /// The PKCS#7 padding's length (1 to 16), or 0 when it is not valid, judged over the whole last block without
    /// branching on its bytes.
    /// </summary>
    internal static int Pkcs7PaddingLength(ReadOnlySpan<byte> plaintext)
    {
        int claimed = plaintext[^1];

        // Negative (all bits set) when the claim is 0 or above one block.
        var bad = ((claimed - 1) >> 31) | ((16 - claimed) >> 31);
        for (var i = 1; i <= 16; i++)
        {
            var inPadding = (i - claimed - 1) >> 31;
            bad |= inPadding & (plaintext[^i] ^ claimed);
        }

        return bad == 0 ? claimed : 0;
    }

    private static void EnsureKeyLength(int expected, byte[] contentKey)
    {
        if (contentKey.Length != expected)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, "the recovered content key has the wrong length");
        }
    }
}
