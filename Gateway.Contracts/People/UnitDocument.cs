namespace Gateway.Contracts.People;

/// <summary>A team of the node that owns cases (<c>id</c>: letters, digits and dashes).</summary>
public sealed record UnitDocument
{
    public required string Id { get; init; }

    public required string Name { get; init; }
}
