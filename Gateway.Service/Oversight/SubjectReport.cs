using Gateway.Service.Consent;

namespace Gateway.Service.Oversight;

/// <summary>
/// What this node did with one person's data (GDPR Art. 15 and 19; DESIGN §14), by their pseudonymous reference: the
/// consents they gave, every disclosure — to whom, which field names, when, under which legal basis and consent — what
/// partners sent about them, and which partners confirmed erasure when. Names of fields only, never values.
/// </summary>
public sealed record SubjectReport
{
    public required string SubjectRef { get; init; }

    public required DateTimeOffset ProducedAt { get; init; }

    public required IReadOnlyList<string> Cases { get; init; }

    public required IReadOnlyList<ConsentRecord> Consents { get; init; }

    public required IReadOnlyList<SubjectDisclosure> Disclosures { get; init; }

    public required IReadOnlyList<SubjectReceipt> Received { get; init; }

    public required IReadOnlyList<ErasureRequest> Erasures { get; init; }
}
