namespace Gateway.Service.Peering;

/// <summary>A refused envelope: HTTP status, stable code, and a detail that names ids and structure, never content.</summary>
internal sealed record PeerRejection(int Status, string Code, string Detail)
{
    public IResult ToProblem() => Results.Problem(
        statusCode: Status,
        title: Code,
        detail: Detail,
        type: $"https://referral-gateway.invalid/problems/{Code.ToLowerInvariant().Replace('_', '-')}",
        extensions: new Dictionary<string, object?> { ["code"] = Code });
}
