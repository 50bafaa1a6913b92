namespace Gateway.Service.Cases;

/// <summary>Stable codes of need-to-know refusals and of the case endpoints.</summary>
public static class CaseCodes
{
    /// <summary>The case belongs to a unit the person is not in (and no break-glass access is open).</summary>
    public const string CaseForbidden = "CASE_NOT_IN_YOUR_UNITS";

    public const string CaseNotFound = "CASE_NOT_FOUND";

    /// <summary>A conversation id that is not 8–64 letters, digits and dashes.</summary>
    public const string ConversationIdInvalid = "CONVERSATION_ID_INVALID";

    public const string CaseErased = "CASE_ERASED";

    public const string UnitUnknown = "UNIT_UNKNOWN";

    /// <summary>Only caseworkers of the case's unit may be assigned to it.</summary>
    public const string AssigneeNotInUnit = "ASSIGNEE_NOT_IN_UNIT";

    public const string BreakGlassInvalid = "BREAK_GLASS_INVALID";

    /// <summary>The person has no unit to own a new case.</summary>
    public const string NoUnit = "NO_UNIT";
}
