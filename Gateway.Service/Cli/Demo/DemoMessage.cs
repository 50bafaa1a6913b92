namespace Gateway.Service.Cli.Demo;

/// <summary>One message of the demo as its sender's API reports it: where it stands and the names of the fields it disclosed.</summary>
internal sealed record DemoMessage
{
    public required Guid MessageId { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public required string State { get; init; }

    public string? LastError { get; init; }

    /// <summary>Delivered, with the recipient's signed receipt verified by the sender.</summary>
    public required bool ReceiptVerified { get; init; }

    public required string DisclosureProfile { get; init; }

    /// <summary>The fields the recipient received (after minimisation and transforms), by name.</summary>
    public required IReadOnlyList<string> DisclosedFields { get; init; }
}
