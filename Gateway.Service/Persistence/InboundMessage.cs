namespace Gateway.Service.Persistence;

/// <summary>
/// An envelope a peer delivered, kept exactly as received (encrypted to this node, so content is encrypted at
/// rest by construction), with the receipt this node signed for it.
/// </summary>
public sealed record InboundMessage
{
    public required Guid MessageId { get; init; }

    public required string SenderId { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public required byte[] Envelope { get; init; }

    public required string EnvelopeSha256 { get; init; }

    public required byte[] Receipt { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}
