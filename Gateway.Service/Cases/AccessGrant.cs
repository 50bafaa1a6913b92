namespace Gateway.Service.Cases;

/// <summary>A break-glass access: one person, one case of another unit, for a limited time, with a reason (DESIGN §14).</summary>
public sealed record AccessGrant
{
    public required Guid GrantId { get; init; }

    public required string CaseId { get; init; }

    public required string PersonId { get; init; }

    public required BreakGlassReason Reason { get; init; }

    /// <summary>SHA-256 of the note, as the audit log holds it; the note itself is sealed under the case's key.</summary>
    public string? NoteSha256 { get; init; }

    public required DateTimeOffset GrantedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}
