namespace Gateway.Service.Access;

/// <summary>The roles of DESIGN §10, carried as the OU of a client certificate from the node's internal CA.</summary>
public static class InternalRoles
{
    /// <summary>Sends referrals, reads the node's sent and received content, manages consents.</summary>
    public const string Caseworker = "caseworker";

    /// <summary>The delivery queue and its actions: metadata only, never referral content.</summary>
    public const string Operator = "operator";

    /// <summary>The audit log and its verification.</summary>
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Caseworker, Operator, Auditor];

    /// <summary>Policy of the endpoints any internal role may call (the OpenAPI document).</summary>
    public const string AnyRole = "any-role";

    /// <summary>Policy of operator views that auditors may read too.</summary>
    public const string OperatorOrAuditor = "operator-or-auditor";
}
