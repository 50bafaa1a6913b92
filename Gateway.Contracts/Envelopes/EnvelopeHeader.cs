namespace Gateway.Contracts.Envelopes;

/// <summary>
/// The signed header of every envelope (DESIGN §3). Routing copies travel as HTTP headers and must equal these values.
/// </summary>
public sealed record EnvelopeHeader
{
    /// <summary>Stable across every retry of the same message.</summary>
    public required Guid MessageId { get; init; }

    public required string MessageType { get; init; }

    /// <summary>Node id of the sender, e.g. <c>EE-SKA</c>.</summary>
    public required string From { get; init; }

    /// <summary>Node id of the recipient.</summary>
    public required string To { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Pseudonymous id of the referral case, shared by every message about it.</summary>
    public required string ConversationId { get; init; }

    public Guid? InReplyTo { get; init; }

    public string? Purpose { get; init; }

    public string? LegalBasis { get; init; }

    public string? ConsentRef { get; init; }

    public string? DisclosureProfile { get; init; }

    public required string SchemaVersion { get; init; }
}
