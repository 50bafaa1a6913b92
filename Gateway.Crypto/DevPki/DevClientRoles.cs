namespace Gateway.Crypto.DevPki;

/// <summary>
/// The roles that get a client certificate on a node's internal listener. The role travels in the certificate's OU,
/// which is what the service maps to a role, so these strings are the contract between the two.
/// </summary>
public static class DevClientRoles
{
    public const string Caseworker = "caseworker";
    public const string Operator = "operator";
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Caseworker, Operator, Auditor];
}
