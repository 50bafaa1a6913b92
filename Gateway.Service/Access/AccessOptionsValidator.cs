using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Access;

internal sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var problems = new OptionsProblems(AccessOptions.Section);
        problems.RequireFile(options.PeopleFile, nameof(options.PeopleFile));
        for (var i = 0; i < options.ClientCertificateAuthorities.Count; i++)
        {
            problems.RequireFile(options.ClientCertificateAuthorities[i], $"{nameof(options.ClientCertificateAuthorities)}:{i}");
        }

        for (var i = 0; i < options.ClientCrlFiles.Count; i++)
        {
            problems.RequireFile(options.ClientCrlFiles[i], $"{nameof(options.ClientCrlFiles)}:{i}");
            if (File.Exists(options.ClientCrlFiles[i]) && Node.CrlFiles.Problem(options.ClientCrlFiles[i]) is { } unusable)
            {
                problems.Check(false, $"{nameof(options.ClientCrlFiles)}:{i}", unusable);
            }
        }

        problems.Positive(options.SessionIdleTimeout, nameof(options.SessionIdleTimeout));
        var oidc = options.OpenIdConnect;
        if (oidc.Enabled)
        {
            problems.Check(Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) && authority.Scheme == Uri.UriSchemeHttps,
                "OpenIdConnect:Authority", "must be an https URL");
            problems.Require(oidc.ClientId, "OpenIdConnect:ClientId");
            if (oidc.ClientSecretFile is { Length: > 0 })
            {
                problems.RequireFile(oidc.ClientSecretFile, "OpenIdConnect:ClientSecretFile");
            }

            if (oidc.TrustedCaFile is { Length: > 0 })
            {
                problems.RequireFile(oidc.TrustedCaFile, "OpenIdConnect:TrustedCaFile");
            }

            problems.Require(oidc.PersonIdClaim, "OpenIdConnect:PersonIdClaim");
        }

        return problems.Result();
    }
}
