using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;

namespace Gateway.Tests.Crypto;

/// <summary>Reads single fields out of CMS structures with BouncyCastle's ASN.1 classes, to know which bytes to tamper with.</summary>
internal static class CmsParts
{
    public static byte[] GcmCiphertext(byte[] envelope) => AuthEnveloped(envelope).AuthEncryptedContentInfo.EncryptedContent.GetOctets();

    public static byte[] GcmTag(byte[] envelope) => AuthEnveloped(envelope).Mac.GetOctets();

    /// <summary>The AES-CBC ciphertext of an EnvelopedData (IV not included).</summary>
    public static byte[] CbcCiphertext(byte[] envelope) =>
        EnvelopedData.GetInstance(ContentInfo.GetInstance(Asn1Object.FromByteArray(envelope)).Content).EncryptedContentInfo.EncryptedContent.GetOctets();

    /// <summary>The content key as encrypted to the (only) recipient: AES-wrapped for ECDH, RSA-OAEP for RSA.</summary>
    public static byte[] EncryptedContentKey(byte[] envelope) =>
        RecipientInfo.GetInstance(AuthEnveloped(envelope).RecipientInfos[0]).Info switch
        {
            KeyAgreeRecipientInfo agreement => RecipientEncryptedKey.GetInstance(agreement.RecipientEncryptedKeys[0]).EncryptedKey.GetOctets(),
            KeyTransRecipientInfo transport => transport.EncryptedKey.GetOctets(),
            var other => throw new InvalidOperationException($"unexpected recipient info {other.GetType().Name}"),
        };

    /// <summary>The outer content type: authenticated-enveloped data (GCM) or enveloped data (CBC).</summary>
    public static string ContentType(byte[] envelope) => ContentInfo.GetInstance(Asn1Object.FromByteArray(envelope)).ContentType.Id;

    /// <summary>The content-encryption algorithm OID of an EnvelopedData or AuthEnvelopedData.</summary>
    public static string ContentEncryptionAlgorithm(byte[] envelope)
    {
        var contentInfo = ContentInfo.GetInstance(Asn1Object.FromByteArray(envelope));
        var encrypted = CmsObjectIdentifiers.AuthEnvelopedData.Equals(contentInfo.ContentType)
            ? AuthEnvelopedData.GetInstance(contentInfo.Content).AuthEncryptedContentInfo
            : EnvelopedData.GetInstance(contentInfo.Content).EncryptedContentInfo;
        return encrypted.ContentEncryptionAlgorithm.Algorithm.Id;
    }

    /// <summary>
    /// The key-encryption algorithm of the (only) recipient of an EnvelopedData or AuthEnvelopedData: the key
    /// agreement scheme for ECDH, the key transport algorithm for RSA.
    /// </summary>
    public static AlgorithmIdentifier KeyEncryptionAlgorithm(byte[] envelope)
    {
        var contentInfo = ContentInfo.GetInstance(Asn1Object.FromByteArray(envelope));
        var recipients = CmsObjectIdentifiers.AuthEnvelopedData.Equals(contentInfo.ContentType)
            ? AuthEnvelopedData.GetInstance(contentInfo.Content).RecipientInfos
            : EnvelopedData.GetInstance(contentInfo.Content).RecipientInfos;
        return RecipientInfo.GetInstance(recipients[0]).Info switch
        {
            KeyAgreeRecipientInfo agreement => agreement.KeyEncryptionAlgorithm,
            KeyTransRecipientInfo transport => transport.KeyEncryptionAlgorithm,
            var other => throw new InvalidOperationException($"unexpected recipient info {other.GetType().Name}"),
        };
    }

    /// <summary>The signed attributes of the (only) signer, by attribute type OID.</summary>
    public static IReadOnlyList<string> SignedAttributeTypes(byte[] signedData) =>
        SignerInfo.GetInstance(SignedData(signedData).SignerInfos[0]).SignedAttrs
            .Select(attribute => Org.BouncyCastle.Asn1.Cms.Attribute.GetInstance(attribute).AttrType.Id).ToList();

    public static string SignatureAlgorithm(byte[] signedData) =>
        SignerInfo.GetInstance(SignedData(signedData).SignerInfos[0]).SignatureAlgorithm.Algorithm.Id;

    public static byte[] SignatureValue(byte[] signedData) =>
        SignerInfo.GetInstance(SignedData(signedData).SignerInfos[0]).Signature.GetOctets();

    public static byte[] EncapsulatedContent(byte[] signedData) =>
        Asn1OctetString.GetInstance(SignedData(signedData).EncapContentInfo.Content).GetOctets();

    private static AuthEnvelopedData AuthEnveloped(byte[] envelope) =>
        AuthEnvelopedData.GetInstance(ContentInfo.GetInstance(Asn1Object.FromByteArray(envelope)).Content);

    private static SignedData SignedData(byte[] signedData) =>
        Org.BouncyCastle.Asn1.Cms.SignedData.GetInstance(ContentInfo.GetInstance(Asn1Object.FromByteArray(signedData)).Content);
}
