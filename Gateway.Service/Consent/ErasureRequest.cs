namespace Gateway.Service.Consent;

/// <summary>A ConsentWithdrawn sent to a peer, and its ErasureConfirmed once it arrives: outstanding until then.</summary>
public sealed record ErasureRequest
{
    public required Guid ConsentId { get; init; }

    public required string PeerId { get; init; }

    public required string ConversationId { get; init; }

    public required Guid RequestMessageId { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public DateTimeOffset? ConfirmedAt { get; init; }

    public Guid? ConfirmationMessageId { get; init; }
}
