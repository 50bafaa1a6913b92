namespace Gateway.Service.Cli.Demo;

/// <summary>The demo's consent on EE-SKA: what it covered, its withdrawal, and the erasures it set off.</summary>
internal sealed record DemoConsent
{
    public required Guid Id { get; init; }

    public required string GivenBy { get; init; }

    public required IReadOnlyList<string> Recipients { get; init; }

    public required IReadOnlyList<string> Purposes { get; init; }

    public required IReadOnlyList<string> Categories { get; init; }

    public required bool Withdrawn { get; init; }

    public DateTimeOffset? WithdrawnAt { get; init; }

    public required IReadOnlyList<DemoErasure> Erasures { get; init; }
}
