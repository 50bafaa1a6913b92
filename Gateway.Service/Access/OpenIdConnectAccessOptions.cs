namespace Gateway.Service.Access;

/// <summary>
/// The organisation's OpenID Connect provider (<c>Gateway:Access:OpenIdConnect</c>): authorization code flow with PKCE;
/// the person's id, name, roles and units come from the claims named here.
/// </summary>
public sealed class OpenIdConnectAccessOptions
{
    /// <summary>The issuer (https), whose discovery document is read at start.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Prefer <see cref="ClientSecretFile"/>; never logged.</summary>
    public string? ClientSecret { get; set; }

    public string? ClientSecretFile { get; set; }

    /// <summary>Empty: <c>openid profile roles units</c>. (A list default would be appended to by configuration, not replaced.)</summary>
    public List<string> Scopes { get; set; } = [];

    public string PersonIdClaim { get; set; } = "sub";

    public string NameClaim { get; set; } = "name";

    /// <summary>Values outside the node's roles are ignored.</summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>Values that are not units of people.json are ignored.</summary>
    public string UnitsClaim { get; set; } = "units";

    /// <summary>A CA (PEM) to trust for the provider's TLS certificate besides the system's, for a provider inside the organisation.</summary>
    public string? TrustedCaFile { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}
