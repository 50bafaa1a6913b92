using System.Text.Json;

namespace Gateway.Service.Referrals;

/// <summary>Everything the composer needs to build one outgoing message, from the API or from the node itself.</summary>
public sealed record ComposeRequest
{
    public required string Recipient { get; init; }

    public required string MessageType { get; init; }

    public required JsonElement Body { get; init; }

    public string? ConversationId { get; init; }

    public Guid? InReplyTo { get; init; }

    public string? Purpose { get; init; }

    public string? LegalBasis { get; init; }

    public Guid? ConsentId { get; init; }

    public string? Justification { get; init; }
}
