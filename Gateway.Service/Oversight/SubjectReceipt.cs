namespace Gateway.Service.Oversight;

/// <summary>One message a partner sent about the person, in a subject report: from whom, what type, when, and whether its content is erased here.</summary>
public sealed record SubjectReceipt(Guid MessageId, string CaseId, string From, string MessageType, DateTimeOffset ReceivedAt, string? LegalBasis, DateTimeOffset? ContentErasedAt);
