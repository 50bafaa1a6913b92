using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Gateway.Service.Node;

namespace Gateway.Service.Access;

/// <summary>Refusals of the internal listener as problem+json with a stable code, like every other refusal.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            var code = context.Connection.ClientCertificate is null ? AccessCodes.ClientCertificateRequired : AccessCodes.ClientCertificateNotTrusted;
            var detail = code == AccessCodes.ClientCertificateRequired
                ? "present a client certificate from this node's internal CA"
                : "the client certificate is not from this node's internal CA, is not valid now, lacks clientAuth, or names no role";
            await Problem(context, 401, code, detail);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            await Problem(context, 403, AccessCodes.RoleForbidden, "this role may not call this endpoint");
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static Task Problem(HttpContext context, int status, string code, string detail) =>
        new GatewayProblem(status, code, detail).ToResult().ExecuteAsync(context);
}
