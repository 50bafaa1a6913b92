using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Gateway.Service.Cases;

/// <summary>
/// A case's id is its conversation id: pseudonymous, of a restricted shape (8–64 letters, digits and dashes), because it
/// travels to partners and lands in the audit log, which can never be erased (DESIGN §15). A name cannot fit in it.
/// </summary>
public static partial class CaseIds
{
    public static bool IsValid(string? caseId) => caseId is not null && Shape().IsMatch(caseId);

    /// <summary>A new random id: 32 hexadecimal digits.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public const string Rule = "8 to 64 letters, digits and dashes";

    [GeneratedRegex("^[A-Za-z0-9-]{8,64}$")]
    private static partial Regex Shape();
}
