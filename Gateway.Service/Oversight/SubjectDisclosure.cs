using Gateway.Service.Referrals;

namespace Gateway.Service.Oversight;

/// <summary>One disclosure in a subject report: a message sent about the person, to whom, what (field names), when, on which basis.</summary>
public sealed record SubjectDisclosure(
    Guid MessageId, string CaseId, string Recipient, string MessageType, DateTimeOffset SubmittedAt, DateTimeOffset? DeliveredAt, DeliveryState State,
    string? LegalBasis, Guid? ConsentId, string DisclosureProfile, IReadOnlyList<string> DisclosedFields);
