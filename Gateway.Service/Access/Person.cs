namespace Gateway.Service.Access;

/// <summary>
/// Who makes an internal call (DESIGN §14): a stable id (what the audit log records, never a name), a name to show,
/// roles and units. From a personal client certificate mapped in people.json, or from an identity provider's claims.
/// </summary>
public sealed record Person(string Id, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Units, string? DefaultUnit = null)
{
    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool IsIn(string unit) => Units.Contains(unit, StringComparer.Ordinal);

    /// <summary>The unit a case this person opens belongs to.</summary>
    public string? HomeUnit => DefaultUnit ?? Units.FirstOrDefault();
}
