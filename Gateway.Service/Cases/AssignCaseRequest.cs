namespace Gateway.Service.Cases;

/// <summary><c>PUT /api/v1/cases/{id}/assignees</c>: the caseworkers of the case's unit who work on it.</summary>
public sealed record AssignCaseRequest(IReadOnlyList<string> PersonIds);
