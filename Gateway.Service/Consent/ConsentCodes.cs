namespace Gateway.Service.Consent;

/// <summary>Stable codes of the legal-basis check, in problem+json and in a cancelled message's last error.</summary>
public static class ConsentCodes
{
    public const string LegalBasisRequired = "LEGAL_BASIS_REQUIRED";
    public const string LegalBasisUnknown = "LEGAL_BASIS_UNKNOWN";
    public const string ConsentRequired = "CONSENT_REQUIRED";
    public const string ConsentNotFound = "CONSENT_NOT_FOUND";
    public const string ConsentWithdrawn = "CONSENT_WITHDRAWN";
    public const string ConsentNotYetValid = "CONSENT_NOT_YET_VALID";
    public const string ConsentExpired = "CONSENT_EXPIRED";
    public const string RecipientNotCovered = "CONSENT_RECIPIENT_NOT_COVERED";
    public const string PurposeNotCovered = "CONSENT_PURPOSE_NOT_COVERED";
    public const string MinorWithoutGuardianConsent = "MINOR_WITHOUT_GUARDIAN_CONSENT";
    public const string ChildNotHeard = "CHILD_NOT_HEARD";
    public const string JustificationRequired = "VITAL_INTERESTS_JUSTIFICATION_REQUIRED";
    public const string LegalObligationNotConfigured = "LEGAL_OBLIGATION_NOT_CONFIGURED";
    public const string ConsentInvalid = "CONSENT_INVALID";

    /// <summary>The justification looks like it carries an identifier (it is sealed, but its hash is audited and operators see that one exists).</summary>
    public const string JustificationNotAnonymous = "VITAL_INTERESTS_JUSTIFICATION_NOT_ANONYMOUS";

    /// <summary>The consent was recorded in another case than the message's.</summary>
    public const string ConsentCaseMismatch = "CONSENT_NOT_OF_THIS_CASE";

    /// <summary>Withdrawing needs a reason code.</summary>
    public const string WithdrawalReasonRequired = "WITHDRAWAL_REASON_REQUIRED";
}
