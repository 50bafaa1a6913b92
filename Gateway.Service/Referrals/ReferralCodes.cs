namespace Gateway.Service.Referrals;

/// <summary>Stable codes of the caseworker API's refusals (besides <see cref="Consent.ConsentCodes"/>).</summary>
public static class ReferralCodes
{
    public const string UnknownRecipient = "UNKNOWN_RECIPIENT";
    public const string UnknownMessageType = "UNKNOWN_MESSAGE_TYPE";
    public const string MessageTypeNotAllowedHere = "MESSAGE_TYPE_NOT_ALLOWED_HERE";
    public const string BodyNotObject = "BODY_NOT_OBJECT";
    public const string PurposeNotAllowed = "PURPOSE_NOT_ALLOWED";
    public const string SchemaInvalid = "SCHEMA_INVALID";
    public const string NotAnonymous = "NOT_ANONYMOUS";
    public const string NoDisclosureProfile = "NO_DISCLOSURE_PROFILE";
    public const string NotFound = "NOT_FOUND";
    public const string ContentErased = "CONTENT_ERASED";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
}
