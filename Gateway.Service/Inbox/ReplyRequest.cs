using System.Text.Json;

namespace Gateway.Service.Inbox;

/// <summary><c>POST /api/v1/inbox/{id}/replies</c>: an answer in the received message's conversation, to its sender.</summary>
public sealed record ReplyRequest
{
    /// <summary><c>ReferralAcknowledgement</c>, <c>AdmissionDecision</c>, <c>StatusUpdate</c> or <c>CaseClosed</c>.</summary>
    public required string MessageType { get; init; }

    public required JsonElement Body { get; init; }

    /// <summary>Needed only when the answer carries data about the person (a StatusUpdate reporting a change of residence): <c>Consent</c>, <c>VitalInterests</c> or <c>LegalObligation</c>.</summary>
    public string? LegalBasis { get; init; }

    public Guid? ConsentId { get; init; }

    /// <summary>Required for VitalInterests; no personal data here.</summary>
    public string? Justification { get; init; }
}
