using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace Gateway.Tests.Crypto;

/// <summary>
/// A CMS SignedData put together field by field, for what the gateway never writes but a partner might send: other
/// algorithm identifiers, signed attributes missing, doubled or wrong. The signature over the signed attributes is
/// always genuine, so only the rule under test can refuse it.
/// </summary>
internal sealed record HandSignedData
{
    public required byte[] Content { get; init; }

    public required X509Certificate2 Certificate { get; init; }

    public required AsymmetricAlgorithm Key { get; init; }

    public AlgorithmIdentifier DigestAlgorithm { get; init; } = new(NistObjectIdentifiers.IdSha256);

    public required AlgorithmIdentifier SignatureAlgorithm { get; init; }

    /// <summary>The hash the signature over the signed attributes is made with.</summary>
    public HashAlgorithmName SignatureHash { get; init; } = HashAlgorithmName.SHA256;

    public required IReadOnlyList<Attribute> SignedAttributes { get; init; }

    public IReadOnlyList<Attribute> UnsignedAttributes { get; init; } = [];

    public static Attribute ContentType(DerObjectIdentifier type) => new(CmsAttributes.ContentType, new DerSet(type));

    public static Attribute MessageDigest(params byte[][] digests) =>
        new(CmsAttributes.MessageDigest, new DerSet(digests.Select(digest => (Asn1Encodable)new DerOctetString(digest)).ToArray()));

    public static Attribute AlgorithmProtection(AlgorithmIdentifier digest, AlgorithmIdentifier signature) =>
        new(CmsAttributes.CmsAlgorithmProtect, new DerSet(new CmsAlgorithmProtection(digest, CmsAlgorithmProtection.Signature, signature)));

    public byte[] Encode()
    {
        var signedAttributes = new DerSet(new Asn1EncodableVector(SignedAttributes.ToArray<Asn1Encodable>()));
        var toBeSigned = signedAttributes.GetEncoded(Asn1Encodable.Der);
        var signature = Key switch
        {
            ECDsa ecdsa => ecdsa.SignData(toBeSigned, SignatureHash, DSASignatureFormat.Rfc3279DerSequence),
            RSA rsa => rsa.SignData(toBeSigned, SignatureHash, RSASignaturePadding.Pkcs1),
            _ => throw new InvalidOperationException("an ECDSA or RSA key signs"),
        };

        var certificate = X509CertificateStructure.GetInstance(Certificate.RawData);
        var signerInfo = new SignerInfo(
            new SignerIdentifier(new IssuerAndSerialNumber(certificate)),
            DigestAlgorithm,
            signedAttributes,
            SignatureAlgorithm,
            new DerOctetString(signature),
            UnsignedAttributes.Count == 0 ? null : new DerSet(new Asn1EncodableVector(UnsignedAttributes.ToArray<Asn1Encodable>())));
        var signedData = new SignedData(
            new DerSet(DigestAlgorithm),
            new ContentInfo(CmsObjectIdentifiers.Data, new DerOctetString(Content)),
            new DerSet(certificate),
            null,
            new DerSet(signerInfo));
        return new ContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.Der);
    }
}
