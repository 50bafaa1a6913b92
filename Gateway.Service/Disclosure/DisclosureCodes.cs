namespace Gateway.Service.Disclosure;

/// <summary>Stable codes of the content checks, at the sending end (422 to the caseworker) and the receiving end (422 to the partner).</summary>
public static class DisclosureCodes
{
    public const string PurposeNotAllowed = "PURPOSE_NOT_ALLOWED";
    public const string SchemaInvalid = "SCHEMA_INVALID";
    public const string NotAnonymous = "NOT_ANONYMOUS";
    public const string NoDisclosureProfile = "NO_DISCLOSURE_PROFILE";
    public const string OverDisclosure = "OVER_DISCLOSURE";
    public const string ProfileMismatch = "DISCLOSURE_PROFILE_MISMATCH";
    public const string LegalBasisMissing = "LEGAL_BASIS_MISSING";
}
