using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using IssuerAndSerialNumber = Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber;

namespace Gateway.Crypto.Cms;

/// <summary>
/// Encrypts a content key to the recipient's encryption certificate: ECDH (RFC 5753, SHA-256 KDF, AES-256 wrap)
/// for EC keys, RSA-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017, RFC 4055) for RSA keys.
/// </summary>
internal static class RecipientInfoWriter
{
    public static RecipientInfo Create(X509Certificate2 recipient, byte[] contentKey) =>
        recipient.GetKeyAlgorithm() switch
        {
            Oids.EcPublicKey => KeyAgreement(recipient, contentKey),
            Oids.RsaEncryption => KeyTransport(recipient, contentKey),
            var other => throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, $"recipient key algorithm {other} is not supported"),
        };

    private static RecipientInfo KeyAgreement(X509Certificate2 recipient, byte[] contentKey)
    {
        using var recipientKey = recipient.GetECDiffieHellmanPublicKey()
            ?? throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, "the recipient certificate holds no EC public key");
        var curve = recipientKey.ExportParameters(includePrivateParameters: false).Curve;
        using var ephemeral = ECDiffieHellman.Create(curve);

        // Parameters absent, as OpenSSL writes them; the same encoding goes into ECC-CMS-SharedInfo.
        var keyWrap = new AlgorithmIdentifier(NistObjectIdentifiers.IdAes256Wrap);
        var kek = EcdhKeyAgreement.DeriveKek(ephemeral, recipientKey.PublicKey, HashAlgorithmName.SHA256, keyWrap, userKeyingMaterial: null);
        byte[] wrapped;
        try
        {
            wrapped = KeyWrap.Wrap(kek, contentKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }

        var point = ephemeral.ExportParameters(includePrivateParameters: false).Q;
        var encodedPoint = new byte[1 + point.X!.Length + point.Y!.Length];
        encodedPoint[0] = 0x04;
        point.X.CopyTo(encodedPoint, 1);
        point.Y.CopyTo(encodedPoint, 1 + point.X.Length);

        var originator = new OriginatorIdentifierOrKey(new OriginatorPublicKey(
            new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey), encodedPoint));
        var encryptedKey = new RecipientEncryptedKey(
            new KeyAgreeRecipientIdentifier(IssuerAndSerial(recipient)), new DerOctetString(wrapped));
        var info = new KeyAgreeRecipientInfo(
            originator,
            null,
            new AlgorithmIdentifier(CmsOids.EcdhStdSha256Kdf, keyWrap),
            new DerSequence(encryptedKey));
        return new RecipientInfo(info);
    }

    private static RecipientInfo KeyTransport(X509Certificate2 recipient, byte[] contentKey)
    {
        using var rsa = recipient.GetRSAPublicKey()
            ?? throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, "the recipient certificate holds no RSA public key");
        var encryptedKey = rsa.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA256);

        var sha256 = new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256, DerNull.Instance);
        var oaep = new RsaesOaepParameters(
            sha256,
            new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, sha256),
            RsaesOaepParameters.DefaultPSourceAlgorithm);
        var info = new KeyTransRecipientInfo(
            new RecipientIdentifier(IssuerAndSerial(recipient)),
            new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsaesOaep, oaep),
            new DerOctetString(encryptedKey));
        return new RecipientInfo(info);
    }

    private static IssuerAndSerialNumber IssuerAndSerial(X509Certificate2 certificate)
    {
        var bouncy = BouncyConvert.ToBouncy(certificate);
        return new IssuerAndSerialNumber(bouncy.IssuerDN, bouncy.SerialNumber);
    }
}
