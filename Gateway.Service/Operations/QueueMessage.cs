using Gateway.Service.Referrals;

namespace Gateway.Service.Operations;

/// <summary>A sent message as operators see it: ids, type, state and timings — never content or disclosed field names.</summary>
public sealed record QueueMessage
{
    public required Guid MessageId { get; init; }

    public required string Recipient { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public required DeliveryState State { get; init; }

    public required int Attempts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public string? LastError { get; init; }

    public IReadOnlyList<MessageTransition>? Transitions { get; init; }

    public static QueueMessage From(OutboundMessage message, IReadOnlyList<MessageTransition>? transitions)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new()
        {
            MessageId = message.MessageId,
            Recipient = message.PeerId,
            MessageType = message.MessageType,
            ConversationId = message.ConversationId,
            State = message.State,
            Attempts = message.Attempts,
            CreatedAt = message.CreatedAt,
            ExpiresAt = message.ExpiresAt,
            NextAttemptAt = message.State is DeliveryState.RetryWaiting or DeliveryState.Queued ? message.NextAttemptAt : null,
            DeliveredAt = message.DeliveredAt,
            LastError = message.LastError,
            Transitions = transitions,
        };
    }
}
