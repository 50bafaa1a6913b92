using Gateway.Contracts.People;

namespace Gateway.Crypto.DevPki;

/// <summary>
/// The synthetic people <c>pki init-dev</c> gives every node (DESIGN §14): two caseworkers in different units, an
/// operator, an auditor and a data protection officer, each with a personal client certificate from the node's
/// internal CA under <c>clients/&lt;handle&gt;.crt</c>. Names are invented and marked as such; ids carry no name.
/// </summary>
public static class DevPeople
{
    public const string IntakeUnit = "intake";
    public const string UnitA = "team-a";
    public const string UnitB = "team-b";

    /// <summary>Caseworker in team A and intake (so inbound cases reach them too); file handle <c>caseworker</c>.</summary>
    public const string Caseworker = DevClientRoles.Caseworker;

    /// <summary>Caseworker in team B only.</summary>
    public const string CaseworkerOtherUnit = "caseworker-b";

    public const string Operator = DevClientRoles.Operator;

    public const string Auditor = DevClientRoles.Auditor;

    public const string DataProtectionOfficer = "dpo";

    /// <summary>Every handle, in the order people.json lists them.</summary>
    public static IReadOnlyList<string> Handles { get; } = [Caseworker, CaseworkerOtherUnit, Operator, Auditor, DataProtectionOfficer];

    public static IReadOnlyList<UnitDocument> Units { get; } =
    [
        new() { Id = IntakeUnit, Name = "Intake" },
        new() { Id = UnitA, Name = "Team A" },
        new() { Id = UnitB, Name = "Team B" },
    ];

    /// <summary>The person behind <paramref name="handle"/> on node <paramref name="nodeId"/>, without certificates.</summary>
    public static PersonDocument Person(string nodeId, string handle) => handle switch
    {
        Caseworker => Make(nodeId, handle, NameOf(nodeId, 0), ["caseworker"], [UnitA, IntakeUnit], UnitA),
        CaseworkerOtherUnit => Make(nodeId, handle, NameOf(nodeId, 1), ["caseworker"], [UnitB], UnitB),
        Operator => Make(nodeId, handle, NameOf(nodeId, 2), ["operator"], [], null),
        Auditor => Make(nodeId, handle, NameOf(nodeId, 3), ["auditor"], [], null),
        DataProtectionOfficer => Make(nodeId, handle, NameOf(nodeId, 4), ["auditor", "dpo"], [], null),
        _ => throw new ArgumentException($"'{handle}' is not one of {string.Join(", ", Handles)}.", nameof(handle)),
    };

    /// <summary>The stable id of a dev person: node and handle, nothing personal.</summary>
    public static string IdOf(string nodeId, string handle) => $"{nodeId.ToLowerInvariant()}-{handle}";

    private static PersonDocument Make(string nodeId, string handle, string name, string[] roles, string[] units, string? defaultUnit) => new()
    {
        Id = IdOf(nodeId, handle),
        DisplayName = name,
        Roles = roles,
        Units = units,
        DefaultUnit = defaultUnit,
    };

    /// <summary>Invented names in the node's language, marked synthetic.</summary>
    private static string NameOf(string nodeId, int index)
    {
        string[] names = nodeId[..2] switch
        {
            "EE" => ["Mari Maasikas", "Jaan Jõgi", "Tiina Tamm", "Peeter Paju", "Liis Lepp"],
            "FI" => ["Aino Virtanen", "Matti Mäkinen", "Laura Korhonen", "Juhani Nieminen", "Sanna Laine"],
            "LV" => ["Anna Bērziņa", "Jānis Kalniņš", "Līga Ozola", "Andris Liepa", "Ilze Priede"],
            _ => ["Alex Example", "Sam Example", "Robin Example", "Kim Example", "Jo Example"],
        };
        return $"{names[index]} (synthetic)";
    }
}
