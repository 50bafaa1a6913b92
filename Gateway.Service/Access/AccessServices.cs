using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Access;

/// <summary>
/// Who may call the internal listener (DESIGN §14): a person, signed in with a personal client certificate (mapped to
/// a person by people.json) or through the organisation's OpenID Connect provider (a session cookie). Roles and units
/// come with the person. Authentication runs only for endpoints that require a role, so the peer listener never
/// builds a chain for it.
/// </summary>
public static class AccessServices
{
    /// <summary>The session of a person who signed in through the identity provider.</summary>
    public const string SessionScheme = "session";

    public const string OpenIdConnectScheme = "oidc";

    /// <summary>Where the reason a sign-in failed is left for the refusal (<see cref="ProblemAuthorizationResultHandler"/>).</summary>
    internal const string FailureItem = "gateway:access-failure";

    private static readonly string[] Schemes = [CertificateAuthenticationDefaults.AuthenticationScheme, SessionScheme];

    /// <param name="configuration">Read here to know whether the OpenID Connect handler is registered at all.</param>
    public static IServiceCollection AddAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();
        services.AddSingleton(provider => PeopleDirectory.Load(provider.GetRequiredService<IOptions<AccessOptions>>().Value.PeopleFile));
        services.AddSingleton<ClientRevocation>();
        services.AddSingleton(provider => new PersonalCertificates(
            provider.GetRequiredService<NodeIdentity>(),
            provider.GetRequiredService<PeopleDirectory>(),
            provider.GetRequiredService<IOptions<AccessOptions>>(),
            provider.GetRequiredService<ClientRevocation>(),
            provider.GetRequiredService<TimeProvider>()));

        // Not AddHostedService: that adds one watcher per type, and the node's own CRL watcher is one already.
        services.AddSingleton<IHostedService>(provider => new CrlWatcher(
            provider.GetRequiredService<ClientRevocation>().Files,
            provider.GetRequiredService<ClientRevocation>().Store,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<CrlWatcher>>()));

        // With a single scheme ASP.NET Core would make it the default and authenticate every request, the peer
        // listener's included (a chain built, and a failure logged, per delivery). Only role policies authenticate here.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        var authentication = services.AddAuthentication()
            .AddCertificate(CertificateAuthenticationDefaults.AuthenticationScheme, certificate =>
            {
                certificate.AllowedCertificateTypes = CertificateTypes.Chained;
                certificate.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                certificate.RevocationMode = X509RevocationMode.NoCheck; // the CRLs of Gateway:Access:ClientCrlFiles, below
                certificate.ValidateCertificateUse = true;
                certificate.ValidateValidityPeriod = true;
                certificate.Events = new CertificateAuthenticationEvents
                {
                    OnCertificateValidated = context =>
                    {
                        var (person, failure) = context.HttpContext.RequestServices.GetRequiredService<PersonalCertificates>().Authenticate(context.ClientCertificate);
                        if (person is null)
                        {
                            context.HttpContext.Items[FailureItem] = failure;
                            context.Fail(failure!);
                            return Task.CompletedTask;
                        }

                        context.Principal = PersonClaims.ToPrincipal(person, "certificate", CertificateAuthenticationDefaults.AuthenticationScheme);
                        context.Success();
                        return Task.CompletedTask;
                    },
                    OnAuthenticationFailed = context =>
                    {
                        context.HttpContext.Items.TryAdd(FailureItem, AccessCodes.ClientCertificateNotTrusted);
                        return Task.CompletedTask;
                    },
                };
            })
            .AddCookie(SessionScheme, cookie =>
            {
                cookie.Cookie.Name = "__Host-gateway-session";
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.Path = "/";
                cookie.SlidingExpiration = true;

                // An API answers with a problem; the sign-in page is the application's to offer.
                cookie.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        services.AddOptions<CertificateAuthenticationOptions>(CertificateAuthenticationDefaults.AuthenticationScheme)
            .Configure<PersonalCertificates>((certificate, personal) => certificate.CustomTrustStore = [.. personal.Anchors]);
        services.AddOptions<CookieAuthenticationOptions>(SessionScheme)
            .Configure<IOptions<AccessOptions>>((cookie, access) => cookie.ExpireTimeSpan = access.Value.SessionIdleTimeout);

        if (configuration.GetSection(AccessOptions.Section).Get<AccessOptions>()?.OpenIdConnect.Enabled == true)
        {
            authentication.AddOpenIdConnect(OpenIdConnectScheme, _ => { });
            services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, OpenIdConnectSignIn>();
        }

        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(InternalRoles.Caseworker, policy => Require(policy, InternalRoles.Caseworker))
            .AddPolicy(InternalRoles.Operator, policy => Require(policy, InternalRoles.Operator))
            .AddPolicy(InternalRoles.Auditor, policy => Require(policy, InternalRoles.Auditor))
            .AddPolicy(InternalRoles.OperatorOrAuditor, policy => Require(policy, InternalRoles.Operator, InternalRoles.Auditor))
            .AddPolicy(InternalRoles.AuditorOrDataProtectionOfficer, policy => Require(policy, InternalRoles.Auditor, InternalRoles.DataProtectionOfficer))
            .AddPolicy(InternalRoles.AnyRole, policy => Require(policy, [.. InternalRoles.All]));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    private static void Require(AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.AddAuthenticationSchemes(Schemes).RequireAuthenticatedUser().RequireRole(roles);
}
