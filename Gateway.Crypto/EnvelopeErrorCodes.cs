namespace Gateway.Crypto;

/// <summary>
/// Stable codes for every way an envelope or receipt can be refused. They appear in problem+json, CLI output and
/// the audit log, so partners can act on them; never rename one.
/// </summary>
public static class EnvelopeErrorCodes
{
    /// <summary>Not a CMS structure this protocol uses: truncated, wrong lengths, too deeply nested, wrong content type.</summary>
    public const string Malformed = "MALFORMED";

    /// <summary>A well-formed CMS structure with an algorithm the protocol does not accept.</summary>
    public const string UnsupportedAlgorithm = "UNSUPPORTED_ALGORITHM";

    /// <summary>No recipient info addresses this node's encryption certificate.</summary>
    public const string NotForThisNode = "NOT_FOR_THIS_NODE";

    /// <summary>The content key could not be recovered, or the ciphertext failed its integrity check.</summary>
    public const string DecryptionFailed = "DECRYPTION_FAILED";

    /// <summary>The signature or the message digest does not match the signed content.</summary>
    public const string SignatureInvalid = "SIGNATURE_INVALID";

    /// <summary>The signer's certificate is missing, or chains to no trust anchor this node knows.</summary>
    public const string UnknownSigner = "UNKNOWN_SIGNER";

    /// <summary>The signer's certificate chains to a known trust anchor but is not one the peer registry pins.</summary>
    public const string SignerNotPinned = "SIGNER_NOT_PINNED";

    /// <summary>The signed header names a sender other than the peer whose certificate signed it.</summary>
    public const string SignerMismatch = "SIGNER_MISMATCH";

    public const string CertificateExpired = "CERTIFICATE_EXPIRED";

    public const string CertificateNotYetValid = "CERTIFICATE_NOT_YET_VALID";

    public const string CertificateRevoked = "CERTIFICATE_REVOKED";

    /// <summary>
    /// The CRL that applies to the certificate's issuer is past its nextUpdate and the node's grace period: whether the
    /// certificate is revoked is not known, so it is refused until a current CRL is configured.
    /// </summary>
    public const string RevocationUnknown = "REVOCATION_UNKNOWN";

    /// <summary>The certificate does not chain to the configured trust anchor.</summary>
    public const string ChainInvalid = "CHAIN_INVALID";

    /// <summary>Key usage or extended key usage does not allow the role the certificate is used in.</summary>
    public const string KeyUsageInvalid = "KEY_USAGE_INVALID";

    /// <summary>The signed payload is not the JSON document <c>{"header", "body"}</c> of the protocol.</summary>
    public const string HeaderInvalid = "HEADER_INVALID";

    /// <summary>A receipt that is not for the message or the exact bytes that were sent.</summary>
    public const string ReceiptMismatch = "RECEIPT_MISMATCH";
}
