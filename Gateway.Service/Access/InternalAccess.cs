using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Gateway.Service.Node;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Service.Access;

/// <summary>
/// Who may call the internal listener (DESIGN §10): a client certificate chaining to this node's internal CA, with
/// clientAuth, whose OU names a role. Authentication runs only for endpoints that require a role, so the peer
/// listener never builds a chain for it.
/// </summary>
public static class InternalAccess
{
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        // With a single scheme ASP.NET Core would make it the default and authenticate every request, the peer
        // listener's included (a chain built, and a failure logged, per delivery). Only role policies authenticate here.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication()
            .AddCertificate(CertificateAuthenticationDefaults.AuthenticationScheme, certificate =>
            {
                certificate.AllowedCertificateTypes = CertificateTypes.Chained;
                certificate.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                certificate.RevocationMode = X509RevocationMode.NoCheck;
                certificate.ValidateCertificateUse = true;
                certificate.ValidateValidityPeriod = true;
                certificate.Events = new CertificateAuthenticationEvents
                {
                    OnCertificateValidated = context =>
                    {
                        var role = RoleOf(context.ClientCertificate);
                        if (role is null)
                        {
                            context.Fail("the certificate's OU names no role");
                            return Task.CompletedTask;
                        }

                        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                            [new Claim(ClaimTypes.Name, context.ClientCertificate.Subject), new Claim(ClaimTypes.Role, role)],
                            CertificateAuthenticationDefaults.AuthenticationScheme));
                        context.Success();
                        return Task.CompletedTask;
                    },
                };
            });
        services.AddOptions<CertificateAuthenticationOptions>(CertificateAuthenticationDefaults.AuthenticationScheme)
            .Configure<NodeIdentity>((certificate, identity) => certificate.CustomTrustStore = [identity.InternalClientCa]);
        services.AddAuthorizationBuilder()
            .AddPolicy(InternalRoles.Caseworker, policy => Require(policy, InternalRoles.Caseworker))
            .AddPolicy(InternalRoles.Operator, policy => Require(policy, InternalRoles.Operator))
            .AddPolicy(InternalRoles.Auditor, policy => Require(policy, InternalRoles.Auditor))
            .AddPolicy(InternalRoles.OperatorOrAuditor, policy => Require(policy, InternalRoles.Operator, InternalRoles.Auditor))
            .AddPolicy(InternalRoles.AnyRole, policy => Require(policy, [.. InternalRoles.All]));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    /// <summary>The subject of the caller's certificate: the actor in the audit log.</summary>
    public static string Actor(this ClaimsPrincipal user) => user?.Identity?.Name ?? "unknown";

    internal static string? RoleOf(X509Certificate2 certificate)
    {
        var unit = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(name => name.GetSingleElementType().Value == "2.5.4.11")
            .Select(name => name.GetSingleElementValue())
            .ToList();
        return unit is [var single] && InternalRoles.All.Contains(single, StringComparer.Ordinal) ? single : null;
    }

    private static void Require(AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.AddAuthenticationSchemes(CertificateAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser().RequireRole(roles);
}
