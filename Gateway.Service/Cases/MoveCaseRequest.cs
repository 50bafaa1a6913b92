namespace Gateway.Service.Cases;

/// <summary><c>PUT /api/v1/cases/{id}/unit</c>: the unit that owns the case from now on.</summary>
public sealed record MoveCaseRequest(string Unit);
