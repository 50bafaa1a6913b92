using Gateway.Service.Node;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Gateway.Service.Access;

/// <summary>Refusals of the internal listener as problem+json with a stable code, like every other refusal.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            var code = context.Items.TryGetValue(AccessServices.FailureItem, out var failure) && failure is string known
                ? known
                : AccessCodes.ClientCertificateRequired;
            var detail = code switch
            {
                AccessCodes.ClientCertificateRequired => "sign in: present a personal client certificate, or sign in through the organisation's identity provider",
                AccessCodes.ClientCertificateRevoked => "the client certificate is revoked",
                AccessCodes.PersonUnknown => "the client certificate is trusted but belongs to no person of this node (people.json)",
                _ => "the client certificate is not from a CA this node trusts for people, is not valid now, or lacks clientAuth",
            };
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
