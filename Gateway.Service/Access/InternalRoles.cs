namespace Gateway.Service.Access;

/// <summary>The roles of DESIGN §10 and §14, given to a person by people.json or by the identity provider's claims.</summary>
public static class InternalRoles
{
    /// <summary>Sends referrals, reads and answers the cases of their units, manages their consents.</summary>
    public const string Caseworker = "caseworker";

    /// <summary>The delivery queue and its actions: metadata only, never referral content.</summary>
    public const string Operator = "operator";

    /// <summary>The audit log, who read which case, break-glass access, and the subject report.</summary>
    public const string Auditor = "auditor";

    /// <summary>The data protection officer: the subject report (GDPR Art. 15/19) besides auditors.</summary>
    public const string DataProtectionOfficer = "dpo";

    public static IReadOnlyList<string> All { get; } = [Caseworker, Operator, Auditor, DataProtectionOfficer];

    /// <summary>Policy of the endpoints any internal role may call (the OpenAPI document, /api/v1/me).</summary>
    public const string AnyRole = "any-role";

    /// <summary>Policy of operator views that auditors may read too.</summary>
    public const string OperatorOrAuditor = "operator-or-auditor";

    /// <summary>Policy of the subject report: auditors and the data protection officer.</summary>
    public const string AuditorOrDataProtectionOfficer = "auditor-or-dpo";
}
