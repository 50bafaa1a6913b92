using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Cms;
using AlgorithmIdentifier = Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using BouncyCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Gateway.Crypto.Cms;

/// <summary>
/// RFC 5652 §5.4/§5.6 verification of a SignerInfo with signed attributes, digesting the content and checking ECDSA
/// and RSA PKCS#1 v1.5 signatures with .NET (OpenSSL), several times faster than BouncyCastle. The signed
/// attributes are checked as BouncyCastle's SignerInformation.Verify checks them, failing with
/// <see cref="CmsException"/> where it would; any other signature algorithm is left to BouncyCastle.
/// </summary>
internal static class SignerInfoVerifier
{
    private enum SignatureKind
    {
        Ecdsa,
        RsaPkcs1,
    }

    private static readonly Dictionary<string, HashAlgorithmName> Digests = new(StringComparer.Ordinal)
    {
        [NistObjectIdentifiers.IdSha256.Id] = HashAlgorithmName.SHA256,
        [NistObjectIdentifiers.IdSha384.Id] = HashAlgorithmName.SHA384,
        [NistObjectIdentifiers.IdSha512.Id] = HashAlgorithmName.SHA512,
    };

    /// <summary>Signature algorithms verified with .NET, with the digest each names (none: the digest algorithm's).</summary>
    private static readonly Dictionary<string, (SignatureKind Kind, HashAlgorithmName? Hash)> Signatures = new(StringComparer.Ordinal)
    {
        // Some OpenSSL versions write the key's algorithm rather than ecdsa-with-SHAx.
        [X9ObjectIdentifiers.IdECPublicKey.Id] = (SignatureKind.Ecdsa, null),
        [X9ObjectIdentifiers.ECDsaWithSha256.Id] = (SignatureKind.Ecdsa, HashAlgorithmName.SHA256),
        [X9ObjectIdentifiers.ECDsaWithSha384.Id] = (SignatureKind.Ecdsa, HashAlgorithmName.SHA384),
        [X9ObjectIdentifiers.ECDsaWithSha512.Id] = (SignatureKind.Ecdsa, HashAlgorithmName.SHA512),
        [PkcsObjectIdentifiers.RsaEncryption.Id] = (SignatureKind.RsaPkcs1, null),
        [PkcsObjectIdentifiers.Sha256WithRsaEncryption.Id] = (SignatureKind.RsaPkcs1, HashAlgorithmName.SHA256),
        [PkcsObjectIdentifiers.Sha384WithRsaEncryption.Id] = (SignatureKind.RsaPkcs1, HashAlgorithmName.SHA384),
        [PkcsObjectIdentifiers.Sha512WithRsaEncryption.Id] = (SignatureKind.RsaPkcs1, HashAlgorithmName.SHA512),
    };

    /// <summary>
    /// True when the signature over the signed attributes is valid and their message digest is that of
    /// <paramref name="content"/>; false when either does not match. <paramref name="certificate"/> is null when
    /// .NET cannot read the signer certificate: BouncyCastle then verifies alone, as it does for a key .NET cannot
    /// decode or that does not fit the signature algorithm, so those end as they always did.
    /// </summary>
    public static bool Verify(SignerInformation signer, byte[] content, CachedCertificate? certificate, BouncyCertificate bouncyCertificate)
    {
        var signatureAlgorithm = signer.SignatureAlgorithm;
        if (!Digests.TryGetValue(signer.DigestAlgorithmID.Algorithm.Id, out var hash)
            || !Signatures.TryGetValue(signatureAlgorithm.Algorithm.Id, out var scheme)
            || (scheme.Kind == SignatureKind.Ecdsa ? certificate?.EcdsaPublicKey : (AsymmetricAlgorithm?)certificate?.RsaPublicKey) is not { } key)
        {
            return signer.Verify(bouncyCertificate.GetPublicKey());
        }

        var signed = signer.SignedAttributes ?? throw new CmsException("signed attributes are required");
        var unsigned = signer.UnsignedAttributes;
        if (SingleValued(signed, unsigned, CmsAttributes.SigningTime, "signing-time") is { } signingTime)
        {
            try
            {
                Time.GetInstance(signingTime);
            }
            catch (ArgumentException)
            {
                throw new CmsException("signing-time attribute value not a valid 'Time' structure");
            }
        }

        if (!IsAbsent(signatureAlgorithm.Parameters))
        {
            throw new CmsException("unrecognised signature parameters provided");
        }

        // BouncyCastle digested with the signature algorithm's hash, so a different digest algorithm never matched.
        if (scheme.Hash is { } named && named != hash)
        {
            throw new CmsException($"signature algorithm {signatureAlgorithm.Algorithm.Id} names another digest than the digest algorithm");
        }

        var contentType = SingleValued(signed, unsigned, CmsAttributes.ContentType, "content-type")
            ?? throw new CmsException("The content-type attribute type MUST be present whenever signed attributes are present in signed-data");
        if (contentType is not DerObjectIdentifier signedContentType)
        {
            throw new CmsException("content-type attribute value not of ASN.1 type 'OBJECT IDENTIFIER'");
        }

        if (!signedContentType.Equals(signer.ContentType))
        {
            throw new CmsException("content-type attribute value does not match eContentType");
        }

        // RFC 6211: the algorithms the signer meant, inside the signature, so they cannot be swapped outside it.
        if (SingleValued(signed, unsigned, CmsAttributes.CmsAlgorithmProtect, "cmsAlgorithmProtect") is { } protectionValue)
        {
            var protection = CmsAlgorithmProtection.GetInstance(protectionValue);
            if (!AreEquivalent(protection.DigestAlgorithm, signer.DigestAlgorithmID))
            {
                throw new CmsException("CMS Algorithm Protection check failed for digestAlgorithm");
            }

            if (!AreEquivalent(protection.SignatureAlgorithm, signatureAlgorithm))
            {
                throw new CmsException("CMS Algorithm Protection check failed for signatureAlgorithm");
            }
        }

        var messageDigest = SingleValued(signed, unsigned, CmsAttributes.MessageDigest, "message-digest")
            ?? throw new CmsException("the message-digest signed attribute type MUST be present when there are any signed attributes present");
        if (messageDigest is not Asn1OctetString signedDigest)
        {
            throw new CmsException("message-digest attribute value not of ASN.1 type 'OCTET STRING'");
        }

        if (signed.HasAny(CmsAttributes.CounterSignature))
        {
            throw new CmsException("A countersignature attribute MUST NOT be a signed attribute");
        }

        if (unsigned is not null && unsigned.GetAll(CmsAttributes.CounterSignature).Cast<Attribute>().Any(attribute => attribute.AttrValues.Count < 1))
        {
            throw new CmsException("A countersignature attribute MUST contain at least one AttributeValue");
        }

        if (!CryptographicOperations.FixedTimeEquals(Digest(content, hash), signedDigest.GetOctets()))
        {
            return false;
        }

        // The signature covers the DER of the signed attributes as a SET (RFC 5652 §5.4), not as the [0] field.
        var signedAttributes = signer.GetEncodedSignedAttributes();
        var signature = signer.GetSignature();
        return key is ECDsa ecdsa
            ? ecdsa.VerifyData(signedAttributes, signature, hash, DSASignatureFormat.Rfc3279DerSequence)
            : ((RSA)key).VerifyData(signedAttributes, signature, hash, RSASignaturePadding.Pkcs1);
    }

    private static byte[] Digest(byte[] content, HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => SHA256.HashData(content),
        "SHA384" => SHA384.HashData(content),
        _ => SHA512.HashData(content),
    };

    /// <summary>The one value of a signed attribute that may occur once, or null when absent (RFC 5652 §11).</summary>
    private static Asn1Encodable? SingleValued(AttributeTable signed, AttributeTable? unsigned, DerObjectIdentifier type, string name)
    {
        if (unsigned is not null && unsigned.HasAny(type))
        {
            throw new CmsException($"The {name} attribute MUST NOT be an unsigned attribute");
        }

        var attributes = signed.GetAll(type);
        switch (attributes.Count)
        {
            case 0:
                return null;
            case 1:
                var values = ((Attribute)attributes[0]).AttrValues;
                return values.Count == 1 ? values[0] : throw new CmsException($"A {name} attribute MUST have a single attribute value");
            default:
                throw new CmsException($"The SignedAttributes in a SignerInfo MUST NOT include multiple instances of the {name} attribute");
        }
    }

    /// <summary>Same algorithm, and the same parameters where absent and NULL count as the same.</summary>
    private static bool AreEquivalent(AlgorithmIdentifier? first, AlgorithmIdentifier? second) =>
        first is not null && second is not null && first.Algorithm.Equals(second.Algorithm)
            && ((IsAbsent(first.Parameters) && IsAbsent(second.Parameters)) || Equals(first.Parameters, second.Parameters));

    private static bool IsAbsent(Asn1Encodable? parameters) => parameters is null || parameters.ToAsn1Object() is Asn1Null;
}
