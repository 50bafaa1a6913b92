namespace Gateway.Contracts.People;

/// <summary>A person of the node: a stable pseudonymous id (what the audit log records), a name to show, roles and units.</summary>
public sealed record PersonDocument
{
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    /// <summary><c>caseworker</c>, <c>operator</c>, <c>auditor</c>, <c>dpo</c>.</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    public IReadOnlyList<string> Units { get; init; } = [];

    /// <summary>The unit a case this person opens belongs to; the first of <see cref="Units"/> when not set.</summary>
    public string? DefaultUnit { get; init; }

    /// <summary>The personal client certificates that sign this person in (the internal CA's, or a national eID card's).</summary>
    public IReadOnlyList<PersonCertificateDocument> Certificates { get; init; } = [];
}
