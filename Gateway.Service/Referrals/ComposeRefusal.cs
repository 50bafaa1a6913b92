using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Referrals;

/// <summary>Why a message cannot leave: an HTTP status, a stable code, a detail naming fields (never values).</summary>
public sealed record ComposeRefusal(int Status, string Code, string Detail, IReadOnlyList<string>? Problems = null)
{
    public ProblemHttpResult ToProblem() => TypedResults.Problem(
        statusCode: Status,
        title: Code,
        detail: Detail,
        type: $"https://referral-gateway.example/problems/{Code.ToLowerInvariant().Replace('_', '-')}",
        extensions: Problems is null
            ? new Dictionary<string, object?> { ["code"] = Code }
            : new Dictionary<string, object?> { ["code"] = Code, ["problems"] = Problems });
}
