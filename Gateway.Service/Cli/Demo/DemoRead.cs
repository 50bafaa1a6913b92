namespace Gateway.Service.Cli.Demo;

/// <summary>One line of the demo case's read audit: who, what, which message (none for a preview), when.</summary>
internal sealed record DemoRead
{
    public required DateTimeOffset At { get; init; }

    public required string Person { get; init; }

    public required string Action { get; init; }

    public Guid? MessageId { get; init; }
}
