namespace Gateway.Service.Oversight;

/// <summary>One line of a case's read audit: who did what with the case's content when (a read, a view, a refusal, a break-glass).</summary>
public sealed record CaseRead(DateTimeOffset At, string Person, string Action, Guid? MessageId, string? Detail);
