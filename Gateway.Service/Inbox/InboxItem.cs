using System.Text.Json;

namespace Gateway.Service.Inbox;

/// <summary>A received message: metadata, and the content until it is erased.</summary>
public sealed record InboxItem
{
    public required Guid MessageId { get; init; }

    public required string From { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public Guid? InReplyTo { get; init; }

    public string? Purpose { get; init; }

    public string? LegalBasis { get; init; }

    public string? DisclosureProfile { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset? ContentErasedAt { get; init; }

    public string? ErasureReason { get; init; }

    /// <summary>The body as received; only on <c>GET /api/v1/inbox/{id}</c> and only until erased.</summary>
    public JsonElement? Body { get; init; }
}
