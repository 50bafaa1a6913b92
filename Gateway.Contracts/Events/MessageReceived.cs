namespace Gateway.Contracts.Events;

/// <summary>
/// Published to RabbitMQ (exchange <c>&lt;prefix&gt;.&lt;node&gt;.events</c>) when a partner's message is stored, for the
/// contact point's case-management system (DESIGN §8.5). Metadata only: the content is read through
/// <c>GET /api/v1/inbox/{messageId}</c> with a caseworker certificate. Delivered at least once: deduplicate by MessageId.
/// </summary>
public sealed record MessageReceived
{
    public required string Node { get; init; }

    public required Guid MessageId { get; init; }

    public required string MessageType { get; init; }

    public required string From { get; init; }

    public required string ConversationId { get; init; }

    public Guid? InReplyTo { get; init; }

    public string? Purpose { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}
