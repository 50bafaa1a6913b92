namespace Gateway.Service.Cases;

/// <summary>A case in a list: its id, unit, who opened it and when, its assignees, and whether it was erased.</summary>
public sealed record CaseSummary(string CaseId, string Unit, DateTimeOffset OpenedAt, string OpenedBy, string? OriginPeer, IReadOnlyList<string> Assignees, DateTimeOffset? ErasedAt);
