using Gateway.Service.Consent;

namespace Gateway.Service.Erasure;

/// <summary><c>POST /api/v1/consents/{id}/withdraw</c>.</summary>
public sealed record WithdrawConsentRequest
{
    public required ConsentGivenBy WithdrawnBy { get; init; }

    /// <summary>Required: why the consent is withdrawn (a code, never free text).</summary>
    public WithdrawalReason? Reason { get; init; }
}
