namespace Gateway.Service.Consent;

/// <summary>
/// A recorded consent (DESIGN §6). The subject is a pseudonymous reference; the signed form stays where
/// <see cref="EvidenceRef"/> points, never here.
/// </summary>
public sealed record ConsentRecord
{
    public required Guid ConsentId { get; init; }

    public required string SubjectRef { get; init; }

    public required ConsentGivenBy GivenBy { get; init; }

    public required bool SubjectIsMinor { get; init; }

    /// <summary>For a minor: the child was heard about the referral, as the law asks.</summary>
    public required bool ChildHeard { get; init; }

    public required ConsentScope Scope { get; init; }

    public required DateTimeOffset ValidFrom { get; init; }

    public required DateTimeOffset ValidUntil { get; init; }

    public required string EvidenceRef { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The id of the person who recorded it.</summary>
    public required string RecordedBy { get; init; }

    /// <summary>The case (conversation) the consent belongs to: its unit decides who may see and withdraw it.</summary>
    public string? CaseId { get; init; }

    public DateTimeOffset? WithdrawnAt { get; init; }

    public ConsentGivenBy? WithdrawnBy { get; init; }

    /// <summary>Why it was withdrawn, as a code (<see cref="WithdrawalReason"/>).</summary>
    public string? WithdrawalReason { get; init; }
}
