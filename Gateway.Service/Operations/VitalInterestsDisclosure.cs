using Gateway.Service.Referrals;

namespace Gateway.Service.Operations;

/// <summary>
/// A disclosure without consent, as operators review it: who, to whom, which fields — never their values — and the
/// SHA-256 of the written justification (the text is sealed in the case; its unit and auditors read it there).
/// </summary>
public sealed record VitalInterestsDisclosure(
    Guid MessageId, string Recipient, string ConversationId, DateTimeOffset CreatedAt, string SubmittedBy, string? JustificationSha256, IReadOnlyList<string> DisclosedFields, DeliveryState State);
