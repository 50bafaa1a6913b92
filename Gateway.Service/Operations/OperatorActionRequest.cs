namespace Gateway.Service.Operations;

/// <summary>The body of an operator action: why (goes to the audit log; no personal data).</summary>
public sealed record OperatorActionRequest
{
    public string? Reason { get; init; }
}
