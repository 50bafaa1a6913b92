namespace Gateway.Service.Referrals;

/// <summary>Stable codes of the sending endpoints' refusals (besides the consent and disclosure codes of the checks they run).</summary>
public static class ReferralCodes
{
    public const string UnknownRecipient = "UNKNOWN_RECIPIENT";
    public const string UnknownMessageType = "UNKNOWN_MESSAGE_TYPE";
    public const string MessageTypeNotAllowedHere = "MESSAGE_TYPE_NOT_ALLOWED_HERE";
    public const string BodyNotObject = "BODY_NOT_OBJECT";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string IdempotencyKeyInvalid = "IDEMPOTENCY_KEY_INVALID";
}
