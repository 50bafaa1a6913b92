namespace Gateway.Service.Cases;

/// <summary><c>POST /api/v1/cases/{id}/break-glass</c>: why, as a code, and a note without personal data (sealed under the case's key).</summary>
public sealed record BreakGlassRequest(BreakGlassReason Reason, string Note);
