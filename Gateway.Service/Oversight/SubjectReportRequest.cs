namespace Gateway.Service.Oversight;

/// <summary><c>POST /api/v1/oversight/subject-report</c>: the pseudonymous reference (in the body, never in a URL).</summary>
public sealed record SubjectReportRequest(string SubjectRef);
