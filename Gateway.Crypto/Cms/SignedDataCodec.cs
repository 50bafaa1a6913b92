using Gateway.Crypto.Identity;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace Gateway.Crypto.Cms;

/// <summary>CMS SignedData (RFC 5652 §5) with encapsulated id-data content, one signer, signer certificate included.</summary>
internal static class SignedDataCodec
{
    private static readonly HashSet<string> AcceptedDigests =
    [
        NistObjectIdentifiers.IdSha256.Id, NistObjectIdentifiers.IdSha384.Id, NistObjectIdentifiers.IdSha512.Id,
    ];

    public static byte[] Sign(byte[] content, SigningIdentity signer, DateTimeOffset signingTime)
    {
        // Signed attributes: content-type and message-digest are added by BouncyCastle; signing-time comes from
        // the caller's clock rather than BouncyCastle's, so tests and receipts agree on one time.
        var signingTimeAttribute = new Attribute(
            CmsAttributes.SigningTime, new DerSet(new Time(signingTime.UtcDateTime)));
        var attributes = new AttributeTable(new Asn1EncodableVector(signingTimeAttribute));

        var signerInfo = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(attributes))
            .Build(signer.SignatureFactory, signer.BouncyCertificate);

        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(signerInfo);
        generator.AddCertificate(signer.BouncyCertificate);
        var signedData = generator.Generate(new CmsProcessableByteArray(content), encapsulate: true);
        return signedData.ContentInfo.GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>
    /// Verifies a ContentInfo(SignedData) and returns its content. Throws <see cref="EnvelopeException"/> with
    /// MALFORMED, UNKNOWN_SIGNER (no signer certificate included) or SIGNATURE_INVALID.
    /// </summary>
    public static SignedContent Verify(byte[] encoded)
    {
        Asn1Guard.EnsureWellFormed(encoded);
        CmsSignedData signedData;
        SignerInformation signer;
        List<X509Certificate> certificates;
        X509Certificate? signerCertificate;
        try
        {
            var contentInfo = ContentInfo.GetInstance(Asn1Object.FromByteArray(encoded));
            if (!CmsObjectIdentifiers.SignedData.Equals(contentInfo.ContentType))
            {
                throw new EnvelopeException(EnvelopeErrorCodes.Malformed, $"expected signed data, found content type {contentInfo.ContentType.Id}");
            }

            signedData = new CmsSignedData(contentInfo);
            var signers = signedData.GetSignerInfos().GetSigners();
            if (signers.Count != 1)
            {
                throw new EnvelopeException(EnvelopeErrorCodes.Malformed, $"expected exactly one signer, found {signers.Count}");
            }

            signer = signers.First();

            // BouncyCastle parses signed attributes and certificates lazily, on first access: a corrupt one
            // surfaces only here, so these accesses belong inside the parse step.
            if (signedData.SignedContent is null || !CmsObjectIdentifiers.Data.Equals(signedData.SignedContentType))
            {
                throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "signed data must encapsulate id-data content");
            }

            if (signer.SignedAttributes is null)
            {
                throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "signed attributes (content type, message digest) are required");
            }

            certificates = signedData.GetCertificates().EnumerateMatches(null).ToList();
            signerCertificate = certificates.FirstOrDefault(certificate => signer.SignerID.Match(certificate));
        }
        catch (Exception exception) when (exception is not EnvelopeException && IsParseFailure(exception))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "not a CMS SignedData structure", exception);
        }

        if (signerCertificate is null)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.UnknownSigner, "the signer certificate is not included");
        }

        // SHA-1 collisions are practical; a signature over a SHA-1 digest proves nothing about the content.
        if (!AcceptedDigests.Contains(signer.DigestAlgorithmID.Algorithm.Id))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, $"digest algorithm {signer.DigestAlgorithmID.Algorithm.Id} is not accepted; sign with SHA-256");
        }

        bool verified;
        try
        {
            // Verify against the bare key: the certificate's validity is judged by CertificateValidator, with
            // its own codes, not folded into a signature failure here. A public key BouncyCastle cannot decode
            // (FormatException: not a point) verifies nothing either.
            verified = signer.Verify(signerCertificate.GetPublicKey());
        }
        catch (Exception exception) when (exception is CmsException or SecurityUtilityException or InvalidOperationException or ArgumentException or InvalidCastException
            or FormatException)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.SignatureInvalid, "the signature could not be verified", exception);
        }

        if (!verified)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.SignatureInvalid, "the signature does not match the signed content");
        }

        var signingTime = signer.SignedAttributes[CmsAttributes.SigningTime] is { } attribute
            ? new DateTimeOffset(Time.GetInstance(attribute.AttrValues[0]).ToDateTime().ToUniversalTime())
            : (DateTimeOffset?)null;

        System.Security.Cryptography.X509Certificates.X509Certificate2 dotNetSignerCertificate;
        List<System.Security.Cryptography.X509Certificates.X509Certificate2> included;
        try
        {
            dotNetSignerCertificate = BouncyConvert.ToDotNet(signerCertificate);
            included = certificates.Where(c => !c.Equals(signerCertificate)).Select(BouncyConvert.ToDotNet).ToList();
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            // BouncyCastle reads some certificates .NET refuses (a name value of an unknown string type, say); the
            // signature does not cover certificates, so this is reached after a valid signature.
            throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "a certificate in the signed data is not a valid X.509 certificate", exception);
        }

        return new SignedContent
        {
            Content = Asn1OctetString.GetInstance(signedData.SignedData.EncapContentInfo.Content).GetOctets(),
            SignerCertificate = dotNetSignerCertificate,
            IncludedCertificates = included,
            SigningTime = signingTime,
        };
    }

    internal static bool IsParseFailure(Exception exception) =>
        exception is IOException or ArgumentException or InvalidCastException or InvalidOperationException
            or CmsException or FormatException or IndexOutOfRangeException or NullReferenceException
            or OverflowException or Org.BouncyCastle.Asn1.Asn1Exception or Org.BouncyCastle.Security.Certificates.CertificateException;
}
