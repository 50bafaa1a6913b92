using Gateway.Service.Referrals;

namespace Gateway.Service.Cli.Demo;

/// <summary>
/// The metadata of <c>GET /api/v1/referrals/{id}</c> that the demo reads. The response also carries the content;
/// the demo never binds it, so it cannot print it.
/// </summary>
internal sealed record SentMessageView
{
    public required Guid MessageId { get; init; }

    public required string Recipient { get; init; }

    public required string MessageType { get; init; }

    public required string ConversationId { get; init; }

    public required string DisclosureProfile { get; init; }

    public required IReadOnlyList<string> DisclosedFields { get; init; }

    public required DeliveryState State { get; init; }

    public string? LastError { get; init; }

    /// <summary>Set only once the sender verified the recipient's signed receipt.</summary>
    public string? Receipt { get; init; }
}
