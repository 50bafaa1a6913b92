namespace Gateway.Service.Cli.Demo;

/// <summary>A ConsentWithdrawn sent to a recipient and whether its ErasureConfirmed came back.</summary>
internal sealed record DemoErasure
{
    public required string Peer { get; init; }

    public required string ConversationId { get; init; }

    public required Guid RequestMessageId { get; init; }

    public required bool Confirmed { get; init; }

    public DateTimeOffset? ConfirmedAt { get; init; }

    public Guid? ConfirmationMessageId { get; init; }
}
