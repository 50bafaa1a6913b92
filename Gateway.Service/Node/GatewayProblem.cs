using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Node;

/// <summary>
/// Every refusal the node answers (RFC 9457 problem+json): an HTTP status, a stable code partners and clients act on,
/// and a detail that names ids, fields and settings, never a submitted value. The type URI is <see cref="BaseUri"/>
/// followed by the code in kebab case. Each feature keeps its codes in its own <c>XxxCodes</c> class.
/// </summary>
public sealed record GatewayProblem(int Status, string Code, string Detail, IReadOnlyList<string>? Problems = null)
{
    public const string BaseUri = "https://referral-gateway.example/problems/";

    public static string TypeOf(string code) => BaseUri + code.ToLowerInvariant().Replace('_', '-');

    public ProblemHttpResult ToResult() => TypedResults.Problem(
        statusCode: Status,
        title: Code,
        detail: Detail,
        type: TypeOf(Code),
        extensions: Problems is null
            ? new Dictionary<string, object?> { ["code"] = Code }
            : new Dictionary<string, object?> { ["code"] = Code, ["problems"] = Problems });
}
