namespace Gateway.Service.Access;

/// <summary>Stable codes of the internal listener's sign-in refusals.</summary>
public static class AccessCodes
{
    /// <summary>Neither a client certificate nor a session: sign in first.</summary>
    public const string ClientCertificateRequired = "CLIENT_CERTIFICATE_REQUIRED";

    /// <summary>Not from the internal CA or a configured CA, not valid now, or without clientAuth.</summary>
    public const string ClientCertificateNotTrusted = "CLIENT_CERTIFICATE_NOT_TRUSTED";

    /// <summary>The CA's CRL revokes the certificate.</summary>
    public const string ClientCertificateRevoked = "CLIENT_CERTIFICATE_REVOKED";

    /// <summary>A trusted certificate that people.json gives to nobody.</summary>
    public const string PersonUnknown = "PERSON_UNKNOWN";

    public const string RoleForbidden = "ROLE_FORBIDDEN";

    /// <summary>Sign-in through the identity provider is not configured on this node.</summary>
    public const string SignInNotConfigured = "SIGN_IN_NOT_CONFIGURED";
}
