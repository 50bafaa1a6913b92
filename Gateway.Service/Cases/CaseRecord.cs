namespace Gateway.Service.Cases;

/// <summary>
/// A case (DESIGN §14): a conversation, owned by a unit of this node. Opened by a person of this node, or by a partner
/// (then it landed in the intake unit). <see cref="SubjectRef"/> is the pseudonymous reference of the person it is
/// about, once a consent names one. Erased cases keep their metadata; their content is gone with their data key.
/// </summary>
public sealed record CaseRecord
{
    public required string CaseId { get; init; }

    public required string UnitId { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>A person id, or the id of the partner that opened it.</summary>
    public required string OpenedBy { get; init; }

    /// <summary>The partner that opened the case here; null for a case this node opened.</summary>
    public string? OriginPeer { get; init; }

    public string? SubjectRef { get; init; }

    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary><c>CONSENT_WITHDRAWN</c> or <c>RETENTION</c>.</summary>
    public string? ErasureReason { get; init; }
}
