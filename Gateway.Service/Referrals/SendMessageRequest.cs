using System.Text.Json;

namespace Gateway.Service.Referrals;

/// <summary><c>POST /api/v1/referrals</c> and <c>/preview</c>: a new referral or an anonymous consultation.</summary>
public sealed record SendMessageRequest
{
    /// <summary>Node id of the recipient, as in peers.json.</summary>
    public required string Recipient { get; init; }

    /// <summary><c>ReferralRequest</c> or <c>AnonymousConsultation</c>; answers go through the inbox.</summary>
    public required string MessageType { get; init; }

    public required JsonElement Body { get; init; }

    /// <summary>Pseudonymous case id; a new one is made when absent.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Defaults to the message type's first purpose (ReferralRequest: Assistance).</summary>
    public string? Purpose { get; init; }

    /// <summary><c>Consent</c>, <c>VitalInterests</c> or <c>LegalObligation</c>; not needed for an anonymous consultation.</summary>
    public string? LegalBasis { get; init; }

    public Guid? ConsentId { get; init; }

    /// <summary>Required for VitalInterests: why the person cannot consent and what is at stake. No personal data here.</summary>
    public string? Justification { get; init; }
}
