using System.Security.Cryptography;
using Gateway.Crypto.Identity;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using AlgorithmIdentifier = Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace Gateway.Crypto.Cms;

/// <summary>CMS SignedData (RFC 5652 §5) with encapsulated id-data content, one signer, signer certificate included.</summary>
internal static class SignedDataCodec
{
    /// <summary>Partners sign with one certificate for months; 1,024 covers every partner's current and next.</summary>
    private static readonly HashSet<string> AcceptedDigests =
    [
        NistObjectIdentifiers.IdSha256.Id, NistObjectIdentifiers.IdSha384.Id, NistObjectIdentifiers.IdSha512.Id,
    ];

    public static byte[] Sign(byte[] content, SigningIdentity signer, DateTimeOffset signingTime)
    {
        // Built here rather than by CmsSignedDataGenerator so the content is digested by .NET, not BouncyCastle's
        // managed SHA-256 (ten times slower); the structure is the one the generator wrote. Signing-time comes
        // from the caller's clock, so tests and receipts agree on one time.
        var digestAlgorithm = new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256);
        var signatureAlgorithm = (AlgorithmIdentifier)signer.SignatureFactory.AlgorithmDetails;
        var protection = new CmsAlgorithmProtection(digestAlgorithm, CmsAlgorithmProtection.Signature, signatureAlgorithm);

        // A DER SET sorts its members, so the order here does not reach the encoding.
        var signedAttributes = new DerSet(new Asn1EncodableVector(
            new Attribute(CmsAttributes.ContentType, new DerSet(CmsObjectIdentifiers.Data)),
            new Attribute(CmsAttributes.SigningTime, new DerSet(new Time(signingTime.UtcDateTime))),
            new Attribute(CmsAttributes.CmsAlgorithmProtect, new DerSet(protection)),
            new Attribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(SHA256.HashData(content))))));

        var certificate = signer.BouncyCertificate.CertificateStructure;
        var signerInfo = new SignerInfo(
            new SignerIdentifier(new IssuerAndSerialNumber(certificate)),
            digestAlgorithm,
            signedAttributes,
            signatureAlgorithm,
            new DerOctetString(SignAttributes(signer.SignatureFactory, signedAttributes)),
            unauthenticatedAttributes: (Asn1Set?)null);

        var signedData = new SignedData(
            new DerSet(digestAlgorithm),
            new ContentInfo(CmsObjectIdentifiers.Data, new DerOctetString(content)),
            new DerSet(certificate),
            crls: null,
            new DerSet(signerInfo));
        return new ContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>
    /// Verifies a ContentInfo(SignedData) and returns its content. Throws <see cref="EnvelopeException"/> with
    /// MALFORMED, UNKNOWN_SIGNER (no signer certificate included) or SIGNATURE_INVALID.
    /// </summary>
    /// <param name="cache">The caller's cache of the certificates signed data carries; without one, each is loaded again.</param>
    public static SignedContent Verify(byte[] encoded, CertificateCache? cache = null)
    {
        Func<byte[], CachedCertificate> load = cache is null ? der => new CachedCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der)) : cache.Get;
        Asn1Guard.EnsureWellFormed(encoded);
        CmsSignedData signedData;
        SignerInformation signer;
        List<X509Certificate> certificates;
        X509Certificate? signerCertificate;
        byte[] content;
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

            // Read once: digested for the message-digest attribute and returned as the content. RFC 5652 makes
            // eContent an OCTET STRING; anything else is refused here as a broken structure.
            content = Asn1OctetString.GetInstance(signedData.SignedData.EncapContentInfo.Content).GetOctets();

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

        // .NET refusing a certificate BouncyCastle read is MALFORMED, but only once the signature is judged: it does
        // not cover the certificates, and a bad signature has always been reported first.
        CachedCertificate? signerEntry = null;
        CryptographicException? unreadable = null;
        try
        {
            signerEntry = load(signerCertificate.GetEncoded());
        }
        catch (CryptographicException exception)
        {
            unreadable = exception;
        }

        bool verified;
        try
        {
            // Verify against the bare key: the certificate's validity is judged by CertificateValidator, with
            // its own codes, not folded into a signature failure here. A public key that does not decode
            // (FormatException: not a point; IOException: a broken RSA key) verifies nothing either.
            verified = SignerInfoVerifier.Verify(signer, content, signerEntry, signerCertificate);
        }
        catch (Exception exception) when (exception is CmsException or SecurityUtilityException or InvalidOperationException or ArgumentException or InvalidCastException
            or FormatException or IOException or CryptographicException)
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

        var dotNetSignerCertificate = signerEntry?.Certificate ?? throw CertificateUnreadable(unreadable!);
        List<X509Certificate2> included;
        try
        {
            included = certificates.Where(c => !c.Equals(signerCertificate)).Select(c => load(c.GetEncoded()).Certificate).ToList();
        }
        catch (CryptographicException exception)
        {
            throw CertificateUnreadable(exception);
        }

        return new SignedContent
        {
            Content = content,
            SignerCertificate = dotNetSignerCertificate,
            IncludedCertificates = included,
            SigningTime = signingTime,
        };
    }

    // BouncyCastle reads some certificates .NET refuses (a name value of an unknown string type, say).
    private static EnvelopeException CertificateUnreadable(CryptographicException exception) =>
        new(EnvelopeErrorCodes.Malformed, "a certificate in the signed data is not a valid X.509 certificate", exception);

    private static byte[] SignAttributes(ISignatureFactory factory, Asn1Set signedAttributes)
    {
        // RFC 5652 §5.4: the signature covers the DER of the attributes as a SET, not as the [0] IMPLICIT field.
        var calculator = factory.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            signedAttributes.EncodeTo(stream, Asn1Encodable.Der);
        }

        return calculator.GetResult().Collect();
    }

    internal static bool IsParseFailure(Exception exception) =>
        exception is IOException or ArgumentException or InvalidCastException or InvalidOperationException
            or CmsException or FormatException or IndexOutOfRangeException or NullReferenceException
            or OverflowException or Org.BouncyCastle.Asn1.Asn1Exception or Org.BouncyCastle.Security.Certificates.CertificateException;
}
