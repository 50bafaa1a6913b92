using Gateway.Service.Referrals;

namespace Gateway.Service.Operations;

/// <summary>A disclosure without consent, as operators review it: who, to whom, why, which fields — never their values.</summary>
public sealed record VitalInterestsDisclosure(
    Guid MessageId, string Recipient, string ConversationId, DateTimeOffset CreatedAt, string SubmittedBy, string Justification, IReadOnlyList<string> DisclosedFields, DeliveryState State);
