namespace Gateway.Service.Access;

/// <summary>Who may sign in to the internal listener, and how (configuration section <c>Gateway:Access</c>; DESIGN §14).</summary>
public sealed class AccessOptions
{
    public const string Section = "Gateway:Access";

    /// <summary>people.json: units, the intake unit, and the people who sign in with a personal client certificate.</summary>
    public string PeopleFile { get; set; } = string.Empty;

    /// <summary>
    /// Further CAs whose client certificates are admitted besides the node's internal CA, e.g. the issuing CAs of
    /// national eID cards (Estonian ID-card, FINEID, Latvian eID). A certificate from them still needs a person in people.json.
    /// </summary>
    public List<string> ClientCertificateAuthorities { get; set; } = [];

    /// <summary>CRLs of the internal CA and of the CAs above: a revoked personal certificate is refused.</summary>
    public List<string> ClientCrlFiles { get; set; } = [];

    /// <summary>Sign-in through the organisation's identity provider; off while <see cref="OpenIdConnectAccessOptions.Authority"/> is empty.</summary>
    public OpenIdConnectAccessOptions OpenIdConnect { get; set; } = new();

    /// <summary>A browser session signed in through the identity provider ends after this long without a request.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
