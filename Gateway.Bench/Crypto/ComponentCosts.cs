using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Contracts.Receipts;
using Gateway.Crypto.Certificates;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Gateway.Bench.Crypto;

/// <summary>
/// The pieces a seal and an open are made of, each timed alone with the library the gateway uses for it, so the gap
/// to <c>openssl speed</c> can be attributed: BouncyCastle for CMS parsing, .NET (OpenSSL underneath) for every
/// primitive, and X.509 work. The BouncyCastle primitives the gateway used before (ECDSA verify, SHA-256) are kept
/// as rows for comparison.
/// </summary>
internal static class ComponentCosts
{
    public static IReadOnlyList<ComponentResult> Measure(CryptoFederation ec, IReadOnlyList<int> sizes, TimeSpan duration, CancellationToken cancellationToken)
    {
        var results = new List<ComponentResult>();
        void Add(string name, string usedBy, int? bytes, Action action)
        {
            action();
            var measurement = Throughput.MeasureQuietly(action, duration, cancellationToken);
            results.Add(new ComponentResult(name, usedBy, bytes, measurement.PerCpuSecond, measurement.CpuMicroseconds, measurement.OtherCpuCores));
            Console.WriteLine($"  {name,-66} {(bytes is { } b ? $"{b} B" : ""),10} {measurement.PerCpuSecond,10:N0}/CPU-s {measurement.CpuMicroseconds,9:N1} µs");
        }

        // What the signer signs is the DER of the signed attributes, about a hundred bytes, not the payload.
        var attributes = RandomNumberGenerator.GetBytes(110);
        using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = signingKey.SignData(attributes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        // As SignedDataCodec gets it: the public key of the BouncyCastle certificate included in the SignedData.
        using var selfSigned = new CertificateRequest("CN=bench", signingKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var bouncyKey = new X509CertificateParser().ReadCertificate(selfSigned.RawData).GetPublicKey();

        Add(".NET ECDsa P-256 sign", "seal (SignedData), receipt sign", null,
            () => signingKey.SignData(attributes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Add(".NET ECDsa P-256 verify", "open, receipt verify (SignerInfoVerifier)", null,
            () => signingKey.VerifyData(attributes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Add("BouncyCastle ECDSA P-256 verify (for comparison)", "no longer used for ECDSA: only algorithms .NET lacks (RSASSA-PSS)", null, () =>
        {
            var verifier = SignerUtilities.GetSigner("SHA-256withECDSA");
            verifier.Init(false, bouncyKey);
            verifier.BlockUpdate(attributes, 0, attributes.Length);
            if (!verifier.VerifySignature(signature))
            {
                throw new InvalidOperationException("the signature did not verify");
            }
        });

        using var recipient = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var recipientPublic = recipient.PublicKey;
        using var sender = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var senderPoint = sender.ExportParameters(false);
        Add(".NET ECDH P-256 new ephemeral key + derive", "seal to EC (RecipientInfoWriter)", null, () =>
        {
            using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            ephemeral.DeriveRawSecretAgreement(recipientPublic);
        });
        Add(".NET ECDH P-256 new ephemeral key only", "seal to EC", null, () =>
        {
            using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            ephemeral.ExportParameters(false);
        });
        using var senderKey = ECDiffieHellman.Create(senderPoint);
        using var senderPublic = senderKey.PublicKey;
        Add(".NET ECDH P-256 derive only", "seal, open", null, () => recipient.DeriveRawSecretAgreement(senderPublic));
        Add(".NET ECDH P-256 import originator point + derive", "open from EC (RecipientKeyRecovery)", null, () =>
        {
            using var originator = ECDiffieHellman.Create(senderPoint);
            using var point = originator.PublicKey;
            recipient.DeriveRawSecretAgreement(point);
        });

        using var rsaKey = RSA.Create(3072);
        var contentKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = rsaKey.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA256);
        Add(".NET RSA-3072 OAEP-SHA256 encrypt", "seal to RSA", null, () => rsaKey.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA256));
        Add(".NET RSA-3072 OAEP-SHA256 decrypt", "open from RSA", null, () => rsaKey.Decrypt(wrapped, RSAEncryptionPadding.OaepSHA256));

        var signerCertificate = ec.SenderSigning.Certificate;
        Add("PeerDirectory.Authenticate (pin + remembered X509Chain)", "open, receipt verify; TLS peer per request", null,
            () => ec.ReceiverPeers.Authenticate(signerCertificate, CertificateRole.Signing, ec.Validator));
        var raw = signerCertificate.RawData;
        Add("X509CertificateLoader.LoadCertificate", "first sight of a signer certificate (CertificateCache), CRL checks", null, () => X509CertificateLoader.LoadCertificate(raw).Dispose());
        Add("BouncyCastle X509CertificateParser.ReadCertificate", "BouncyConvert.ToBouncy: seal, open", null, () => new X509CertificateParser().ReadCertificate(raw));

        var receipt = ec.ReceiptSigner.Sign(new Receipt
        {
            MessageId = Guid.NewGuid(),
            EnvelopeSha256 = new string('0', 64),
            ReceivedAt = DateTimeOffset.UtcNow,
            Receiver = CryptoFederation.Receiver,
            Sender = CryptoFederation.Sender,
            Status = ReceiptStatus.Accepted,
        }, ec.ReceiverSigning);
        Add("BouncyCastle CmsSignedData parse + SignerInformation.Verify (for comparison)", "what SignedDataCodec.Verify did before", receipt.Length, () =>
        {
            var signed = new CmsSignedData(receipt);
            var signer = signed.GetSignerInfos().GetSigners().First();
            var certificate = signed.GetCertificates().EnumerateMatches(null).First(candidate => signer.SignerID.Match(candidate));
            if (!signer.Verify(certificate.GetPublicKey()))
            {
                throw new InvalidOperationException("the receipt did not verify");
            }
        });

        foreach (var size in sizes)
        {
            var data = RandomNumberGenerator.GetBytes(size);
            var output = new byte[32];
            var key = RandomNumberGenerator.GetBytes(32);
            var nonce = RandomNumberGenerator.GetBytes(12);
            var ciphertext = new byte[size];
            var tag = new byte[16];
            Add("BouncyCastle SHA-256 (for comparison)", "what the CMS message digest cost before", size, () =>
            {
                var digest = new Sha256Digest();
                digest.BlockUpdate(data, 0, data.Length);
                digest.DoFinal(output, 0);
            });
            Add(".NET SHA-256", "seal, open (CMS message digest); receipt (digest of the envelope)", size, () => SHA256.HashData(data, output));
            Add(".NET AesGcm AES-256 encrypt", "seal, open", size, () =>
            {
                using var gcm = new AesGcm(key, 16);
                gcm.Encrypt(nonce, data, ciphertext, tag);
            });
        }

        return results;
    }
}

/// <summary>One primitive's speed alone (per CPU second): where the envelope uses it, at which size (null: size does not matter).</summary>
internal sealed record ComponentResult(string Name, string UsedBy, int? PayloadBytes, double PerCpuSecond, double CpuMicroseconds, double OtherCpuCores);
