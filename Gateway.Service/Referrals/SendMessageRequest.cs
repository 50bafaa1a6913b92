using System.Text.Json;

namespace Gateway.Service.Referrals;

/// <summary>What a caseworker's system posts to send a message to a peer.</summary>
public sealed record SendMessageRequest
{
    /// <summary>Node id of the recipient, as in peers.json.</summary>
    public required string Recipient { get; init; }

    public required string MessageType { get; init; }

    public required JsonElement Body { get; init; }

    /// <summary>Pseudonymous case id; a new one is made when absent.</summary>
    public string? ConversationId { get; init; }

    public Guid? InReplyTo { get; init; }

    public string? Purpose { get; init; }

    public string? LegalBasis { get; init; }

    public string? ConsentRef { get; init; }
}
