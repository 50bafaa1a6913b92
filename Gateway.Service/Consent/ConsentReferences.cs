using System.Text.RegularExpressions;

namespace Gateway.Service.Consent;

/// <summary>
/// The shapes of the references a consent holds. Consents are kept as evidence after any erasure, so what is in them
/// must not be able to carry a name: the subject is a pseudonymous reference, the evidence a location of the signed form.
/// </summary>
public static partial class ConsentReferences
{
    public const string SubjectRefRule = "4 to 100 letters, digits, dots, dashes and underscores";

    public const string EvidenceRefRule = "1 to 200 letters, digits and . _ - : / #";

    public static bool IsSubjectRef(string? value) => value is not null && SubjectRef().IsMatch(value);

    public static bool IsEvidenceRef(string? value) => value is not null && EvidenceRef().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9._-]{4,100}$")]
    private static partial Regex SubjectRef();

    [GeneratedRegex("^[A-Za-z0-9._:/#-]{1,200}$")]
    private static partial Regex EvidenceRef();
}
