namespace Gateway.Contracts.Messages;

/// <summary>
/// What a field says about the person (DESIGN §5). A legal basis covers subject categories; the last two say nothing
/// about the person and need no legal basis of the subject (they still pass the disclosure profile).
/// </summary>
public enum DataCategory
{
    Identity,
    Contact,
    Demographic,
    Health,
    Exploitation,
    CriminalCase,
    Child,
    Safety,
    Logistics,

    /// <summary>The kinds of support the person needs (<c>spl_Type</c>) and why they are referred.</summary>
    Needs,

    /// <summary>
    /// International protection, residence status and the reflection period: migration status can be used against the
    /// person, so it is a category of its own that a consent names, or not, and a profile lets out field by field.
    /// </summary>
    Residence,

    /// <summary>Codes, dates and references of the case itself: no data about the person.</summary>
    Administrative,

    /// <summary>How to reach the caseworkers on each side: staff data, processed for the case, not the subject's.</summary>
    Professional,
}
