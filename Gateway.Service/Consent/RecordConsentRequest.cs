namespace Gateway.Service.Consent;

/// <summary><c>POST /api/v1/consents</c>.</summary>
public sealed record RecordConsentRequest
{
    public required string SubjectRef { get; init; }

    public required ConsentGivenBy GivenBy { get; init; }

    public bool SubjectIsMinor { get; init; }

    public bool ChildHeard { get; init; }

    public required ConsentScope Scope { get; init; }

    /// <summary>Defaults to now.</summary>
    public DateTimeOffset? ValidFrom { get; init; }

    public required DateTimeOffset ValidUntil { get; init; }

    public required string EvidenceRef { get; init; }

    /// <summary>The case the consent is recorded in; a new case of the caller's unit when absent.</summary>
    public string? ConversationId { get; init; }
}
