namespace Gateway.Contracts.People;

/// <summary>
/// One node's <c>people.json</c> (DESIGN §14): its units, the unit new inbound cases land in, and the people who may
/// sign in with a client certificate — each with a stable id, roles and units. People who sign in through OpenID
/// Connect take their roles and units from claims instead.
/// </summary>
public sealed record PeopleDocument
{
    public required IReadOnlyList<UnitDocument> Units { get; init; }

    /// <summary>The unit that owns a case a partner opens here (a new inbound conversation).</summary>
    public required string IntakeUnit { get; init; }

    public IReadOnlyList<PersonDocument> People { get; init; } = [];
}
