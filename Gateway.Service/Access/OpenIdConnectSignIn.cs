using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gateway.Service.Access;

/// <summary>
/// Sign-in through the organisation's identity provider (DESIGN §14): authorization code with PKCE; the person's id,
/// name, roles and units are read from the claims configured in <see cref="OpenIdConnectAccessOptions"/>, roles and
/// units filtered to what this node knows, and kept in the session cookie. No token is stored.
/// </summary>
internal sealed class OpenIdConnectSignIn(IOptions<AccessOptions> access, PeopleDirectory people) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != AccessServices.OpenIdConnectScheme)
        {
            return;
        }

        var settings = access.Value.OpenIdConnect;
        options.SignInScheme = AccessServices.SessionScheme;
        options.Authority = settings.Authority;
        options.ClientId = settings.ClientId;
        options.ClientSecret = settings.ClientSecretFile is { Length: > 0 } file ? File.ReadAllText(file).TrimEnd('\r', '\n') : settings.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        options.SaveTokens = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.MapInboundClaims = false;
        options.Scope.Clear();
        foreach (var scope in settings.Scopes.Count > 0 ? settings.Scopes : ["openid", "profile", "roles", "units"])
        {
            options.Scope.Add(scope);
        }

        if (settings.TrustedCaFile is { Length: > 0 } caFile)
        {
            var chain = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            chain.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(caFile));
            options.BackchannelHttpHandler = new SocketsHttpHandler { SslOptions = { CertificateChainPolicy = chain } };
        }

        options.Events.OnTokenValidated = context =>
        {
            var claims = context.Principal!;
            var id = claims.FindFirstValue(settings.PersonIdClaim);
            if (string.IsNullOrEmpty(id))
            {
                context.Fail($"the identity provider's token has no {settings.PersonIdClaim} claim");
                return Task.CompletedTask;
            }

            var person = people.FromClaims(
                id,
                claims.FindFirstValue(settings.NameClaim) ?? id,
                claims.FindAll(settings.RolesClaim).Select(claim => claim.Value),
                claims.FindAll(settings.UnitsClaim).Select(claim => claim.Value));
            context.Principal = PersonClaims.ToPrincipal(person, "oidc", AccessServices.SessionScheme);
            return Task.CompletedTask;
        };

        // The session cookie is SameSite=Strict, and the provider's callback is a cross-site navigation: the browser
        // would not send the new cookie on a redirect that is still part of it. A page of this site continues instead.
        options.Events.OnTicketReceived = context =>
        {
            context.ReturnUri = "/signed-in?to=" + Uri.EscapeDataString(AccessApi.LocalPath(context.ReturnUri));
            return Task.CompletedTask;
        };
    }

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);
}
