using Gateway.Service.Cases;
using Gateway.Service.Consent;

namespace Gateway.Service.Casework;

/// <summary>A case as its unit sees it (DESIGN §16): the case, who works on it, its consents, and every message in and out, metadata only.</summary>
public sealed record CaseView
{
    public required CaseRecord Case { get; init; }

    public required IReadOnlyList<string> Assignees { get; init; }

    public required IReadOnlyList<ConsentRecord> Consents { get; init; }

    public required IReadOnlyList<CaseMessage> Timeline { get; init; }

    public required IReadOnlyList<ErasureRequest> Erasures { get; init; }
}
