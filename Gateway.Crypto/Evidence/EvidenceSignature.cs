using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.Cms;
using Gateway.Crypto.Identity;

namespace Gateway.Crypto.Evidence;

/// <summary>
/// Signs a node's own evidence (audit-log checkpoints) the way receipts are signed: CMS SignedData with the node's
/// signing key, so `openssl cms -verify` can check it too.
/// </summary>
public static class EvidenceSignature
{
    public static byte[] Sign(byte[] content, SigningIdentity signer, DateTimeOffset signingTime)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return SignedDataCodec.Sign(content, signer, signingTime);
    }

    /// <summary>The signed content, if the signature is valid and made by <paramref name="expectedSigner"/>'s key; throws <see cref="EnvelopeException"/> otherwise.</summary>
    public static byte[] Verify(byte[] signed, X509Certificate2 expectedSigner)
    {
        ArgumentNullException.ThrowIfNull(expectedSigner);
        var content = SignedDataCodec.Verify(signed);
        if (!content.SignerCertificate.RawDataMemory.Span.SequenceEqual(expectedSigner.RawDataMemory.Span))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.SignerMismatch, "the evidence is signed by another certificate than this node's signing certificate");
        }

        return content.Content;
    }
}
