using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms.Ecc;
using Org.BouncyCastle.Asn1.X509;

namespace Gateway.Crypto.Cms;

/// <summary>
/// The RFC 5753 ephemeral-static ECDH key-encryption key: Z from ECDH, then X9.63 KDF over ECC-CMS-SharedInfo.
/// The key-wrap AlgorithmIdentifier goes into SharedInfo exactly as it is encoded in the KeyAgreeRecipientInfo
/// (OpenSSL leaves its parameters absent), which is what makes both ends derive the same key.
/// </summary>
internal static class EcdhKeyAgreement
{
    public static byte[] DeriveKek(
        ECDiffieHellman ownKey,
        ECDiffieHellmanPublicKey otherPublicKey,
        HashAlgorithmName kdfHash,
        AlgorithmIdentifier keyWrapAlgorithm,
        byte[]? userKeyingMaterial)
    {
        var kekLength = KeyWrap.KeyLength(keyWrapAlgorithm.Algorithm);
        var sharedInfo = new ECC_CMS_SharedInfo(
            keyWrapAlgorithm,
            userKeyingMaterial is null ? null : new DerOctetString(userKeyingMaterial),
            new DerOctetString(BigEndianBits(kekLength))).GetEncoded(Asn1Encodable.Der);

        var z = ownKey.DeriveRawSecretAgreement(otherPublicKey);
        try
        {
            return X963Kdf.Derive(kdfHash, z, sharedInfo, kekLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(z);
        }
    }

    public static HashAlgorithmName KdfHash(DerObjectIdentifier keyAgreementScheme)
    {
        if (CmsOids.EcdhStdSha256Kdf.Equals(keyAgreementScheme)) return HashAlgorithmName.SHA256;
        if (CmsOids.EcdhStdSha1Kdf.Equals(keyAgreementScheme)) return HashAlgorithmName.SHA1;
        if (CmsOids.EcdhStdSha384Kdf.Equals(keyAgreementScheme)) return HashAlgorithmName.SHA384;
        if (CmsOids.EcdhStdSha512Kdf.Equals(keyAgreementScheme)) return HashAlgorithmName.SHA512;
        throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, $"key agreement scheme {keyAgreementScheme.Id} is not supported");
    }

    /// <summary>SuppPubInfo: the KEK length in bits as a 32-bit big-endian integer.</summary>
    private static byte[] BigEndianBits(int keyLengthBytes)
    {
        var bits = keyLengthBytes * 8;
        return [(byte)(bits >> 24), (byte)(bits >> 16), (byte)(bits >> 8), (byte)bits];
    }
}
