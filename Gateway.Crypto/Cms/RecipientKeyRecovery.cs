using System.Security.Cryptography;
using Gateway.Crypto.Identity;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using IssuerAndSerialNumber = Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber;
using Org.BouncyCastle.Math;

namespace Gateway.Crypto.Cms;

/// <summary>
/// Finds the recipient info addressed to this node's encryption certificate and recovers the content key from it.
/// Accepts what the gateway writes and what <c>openssl cms -encrypt</c> writes (ECDH with the SHA-1 or SHA-2 KDFs,
/// RSA-OAEP); refuses RSA PKCS#1 v1.5 key transport, whose padding oracle a network endpoint must not offer.
/// </summary>
internal static class RecipientKeyRecovery
{
    public static byte[] RecoverContentKey(Asn1Set recipientInfos, DecryptionIdentity identity)
    {
        var own = BouncyConvert.ToBouncy(identity.Certificate);
        var ownSubjectKeyId = SubjectKeyIdentifierOf(own);

        foreach (var element in recipientInfos)
        {
            var info = RecipientInfo.GetInstance(element).Info;
            switch (info)
            {
                case KeyTransRecipientInfo transport when Matches(transport.RecipientIdentifier.ID, own, ownSubjectKeyId):
                    return Transport(transport, identity);
                case KeyAgreeRecipientInfo agreement:
                    foreach (var encryptedKeyElement in agreement.RecipientEncryptedKeys)
                    {
                        var encryptedKey = RecipientEncryptedKey.GetInstance(encryptedKeyElement);
                        if (Matches(encryptedKey.Identifier, own, ownSubjectKeyId))
                        {
                            return Agreement(agreement, encryptedKey, identity);
                        }
                    }

                    break;
            }
        }

        throw new EnvelopeException(EnvelopeErrorCodes.NotForThisNode, "no recipient info is addressed to this node's encryption certificate");
    }

    private static byte[] Transport(KeyTransRecipientInfo info, DecryptionIdentity identity)
    {
        var rsa = identity.Rsa
            ?? throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, "key transport to a non-RSA key");
        var algorithm = info.KeyEncryptionAlgorithm;
        if (!PkcsObjectIdentifiers.IdRsaesOaep.Equals(algorithm.Algorithm))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, $"key transport {algorithm.Algorithm.Id} is not accepted; use RSA-OAEP with SHA-256");
        }

        var parameters = algorithm.Parameters is null or DerNull
            ? new RsaesOaepParameters()
            : RsaesOaepParameters.GetInstance(algorithm.Parameters);
        var hash = HashName(parameters.HashAlgorithm.Algorithm);
        var mgfHash = AlgorithmIdentifier.GetInstance(parameters.MaskGenAlgorithm.Parameters).Algorithm;
        if (!PkcsObjectIdentifiers.IdMgf1.Equals(parameters.MaskGenAlgorithm.Algorithm) || HashName(mgfHash) != hash
            || !parameters.PSourceAlgorithm.Equals(RsaesOaepParameters.DefaultPSourceAlgorithm))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, "RSA-OAEP must use MGF1 with the same hash and an empty label");
        }

        try
        {
            return rsa.Decrypt(info.EncryptedKey.GetOctets(), RSAEncryptionPadding.CreateOaep(hash));
        }
        catch (CryptographicException exception)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, "the content key could not be decrypted", exception);
        }
    }

    private static byte[] Agreement(KeyAgreeRecipientInfo info, RecipientEncryptedKey encryptedKey, DecryptionIdentity identity)
    {
        var ownKey = identity.Ecdh
            ?? throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, "key agreement to a non-EC key");
        var kdfHash = EcdhKeyAgreement.KdfHash(info.KeyEncryptionAlgorithm.Algorithm);
        var keyWrap = AlgorithmIdentifier.GetInstance(info.KeyEncryptionAlgorithm.Parameters
            ?? throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "the key agreement algorithm names no key wrap algorithm"));

        if (info.Originator.OriginatorKey is not { } originator)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, "only ephemeral-static ECDH (originatorKey) is accepted");
        }

        if (!X9ObjectIdentifiers.IdECPublicKey.Equals(originator.Algorithm.Algorithm))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, $"originator key algorithm {originator.Algorithm.Algorithm.Id} is not EC");
        }

        // The curve is the recipient's (RFC 5753 lets the originator leave the parameters absent, as OpenSSL does);
        // named-curve parameters, when present, must agree with it.
        var ownParameters = ownKey.ExportParameters(includePrivateParameters: false);
        if (originator.Algorithm.Parameters is DerObjectIdentifier namedCurve
            && ownParameters.Curve.Oid?.Value is { } ownCurve && namedCurve.Id != ownCurve)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, "the originator key is on another curve than this node's key");
        }

        using var originatorKey = ImportPoint(ownParameters.Curve, originator.PublicKey.GetOctets());
        var ukm = info.UserKeyingMaterial?.GetOctets();
        var kek = EcdhKeyAgreement.DeriveKek(ownKey, originatorKey.PublicKey, kdfHash, keyWrap, ukm);
        try
        {
            return KeyWrap.Unwrap(kek, encryptedKey.EncryptedKey.GetOctets());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private static ECDiffieHellman ImportPoint(ECCurve curve, byte[] encodedPoint)
    {
        var coordinateLength = (encodedPoint.Length - 1) / 2;
        if (encodedPoint.Length < 3 || encodedPoint[0] != 0x04 || encodedPoint.Length != 1 + (2 * coordinateLength))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.Malformed, "the originator key must be an uncompressed EC point");
        }

        try
        {
            return ECDiffieHellman.Create(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint
                {
                    X = encodedPoint.AsSpan(1, coordinateLength).ToArray(),
                    Y = encodedPoint.AsSpan(1 + coordinateLength, coordinateLength).ToArray(),
                },
            });
        }
        catch (CryptographicException exception)
        {
            // Not on the curve: an invalid-curve attack or corruption; either way no key can come of it.
            throw new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, "the originator key is not a point on this node's curve", exception);
        }
    }

    private static HashAlgorithmName HashName(DerObjectIdentifier oid)
    {
        if (NistObjectIdentifiers.IdSha256.Equals(oid)) return HashAlgorithmName.SHA256;
        if (NistObjectIdentifiers.IdSha384.Equals(oid)) return HashAlgorithmName.SHA384;
        if (NistObjectIdentifiers.IdSha512.Equals(oid)) return HashAlgorithmName.SHA512;
        if (OiwObjectIdentifiers.IdSha1.Equals(oid)) return HashAlgorithmName.SHA1;
        throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, $"hash {oid.Id} is not supported");
    }

    private static bool Matches(Asn1Encodable identifier, Org.BouncyCastle.X509.X509Certificate own, byte[]? ownSubjectKeyId) =>
        identifier switch
        {
            IssuerAndSerialNumber issuerAndSerial => MatchesIssuerAndSerial(issuerAndSerial, own),
            KeyAgreeRecipientIdentifier { IssuerAndSerialNumber: { } issuerAndSerial } => MatchesIssuerAndSerial(issuerAndSerial, own),
            KeyAgreeRecipientIdentifier { RKeyID: { } keyId } => ownSubjectKeyId is not null && keyId.SubjectKeyIdentifier.GetOctets().AsSpan().SequenceEqual(ownSubjectKeyId),
            Asn1OctetString subjectKeyId => ownSubjectKeyId is not null && subjectKeyId.GetOctets().AsSpan().SequenceEqual(ownSubjectKeyId),
            Asn1TaggedObject tagged => Matches(Asn1OctetString.GetInstance(tagged, false), own, ownSubjectKeyId),
            _ => false,
        };

    private static bool MatchesIssuerAndSerial(IssuerAndSerialNumber issuerAndSerial, Org.BouncyCastle.X509.X509Certificate own) =>
        issuerAndSerial.Issuer.Equivalent(own.IssuerDN) && new BigInteger(issuerAndSerial.SerialNumber.Value.ToByteArray()).Equals(own.SerialNumber);

    private static byte[]? SubjectKeyIdentifierOf(Org.BouncyCastle.X509.X509Certificate certificate)
    {
        var extension = certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
        return extension is null ? null : Asn1OctetString.GetInstance(extension.GetOctets()).GetOctets();
    }
}
