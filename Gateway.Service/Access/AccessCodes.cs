namespace Gateway.Service.Access;

public static class AccessCodes
{
    public const string ClientCertificateRequired = "CLIENT_CERTIFICATE_REQUIRED";
    public const string ClientCertificateNotTrusted = "CLIENT_CERTIFICATE_NOT_TRUSTED";
    public const string RoleForbidden = "ROLE_FORBIDDEN";
}
