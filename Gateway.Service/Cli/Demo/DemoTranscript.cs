using Gateway.Contracts.Envelopes;
using Gateway.Service.Consent;
using Gateway.Service.Oversight;

namespace Gateway.Service.Cli.Demo;

/// <summary>What happened during the scenario, in order, and the checks that decide the demo's exit code.</summary>
internal sealed class DemoTranscript
{
    /// <summary>What a shelter may get of the residence block: the counselling flag and the reflection period's end.</summary>
    private static readonly string[] ShelterResidence = ["residence.legalCounsellingNeeded", "residence.reflectionPeriodEnd"];

    private readonly List<DemoMessage> _messages = [];
    private readonly List<DemoErasureCheck> _erasureChecks = [];
    private readonly List<string> _problems = [];
    private readonly Dictionary<string, PreviewView> _previews = new(StringComparer.Ordinal);
    private List<string> _residenceCarried = [];
    private List<DemoRead>? _reads;
    private List<DemoDisclosure>? _disclosures;

    public IReadOnlyList<DemoMessage> Messages => _messages;

    public IReadOnlyList<DemoErasureCheck> ErasureChecks => _erasureChecks;

    public DemoConsent? Consent { get; private set; }

    public void Add(DemoMessage message) => _messages.Add(message);

    public void Add(DemoErasureCheck check) => _erasureChecks.Add(check);

    /// <summary>Keeps the residence fields of the referral as EE-SKA wrote it, before any profile.</summary>
    public void RecordReferralFields(IEnumerable<string> paths) => _residenceCarried = [.. paths.Where(IsResidence).Order(StringComparer.Ordinal)];

    public void Record(string recipient, PreviewView preview) => _previews[recipient] = preview;

    public void Record(ConsentView view) => Consent = new DemoConsent
    {
        Id = view.Consent.ConsentId,
        GivenBy = view.Consent.GivenBy.ToString(),
        Recipients = view.Consent.Scope.Recipients,
        Purposes = view.Consent.Scope.Purposes,
        Categories = [.. view.Consent.Scope.Categories.Select(category => category.ToString())],
        Withdrawn = view.Consent.WithdrawnAt is not null,
        WithdrawnAt = view.Consent.WithdrawnAt,
        Erasures = [.. view.Erasures
            .OrderBy(erasure => IndexOf(erasure.PeerId))
            .Select(erasure => new DemoErasure
            {
                Peer = erasure.PeerId,
                ConversationId = erasure.ConversationId,
                RequestMessageId = erasure.RequestMessageId,
                Confirmed = erasure.ConfirmedAt is not null,
                ConfirmedAt = erasure.ConfirmedAt,
                ConfirmationMessageId = erasure.ConfirmationMessageId,
            })],
    };

    /// <summary>The case's read audit as the data protection officer got it.</summary>
    public void Record(IReadOnlyList<CaseRead> reads) =>
        _reads = [.. reads.Select(read => new DemoRead { At = read.At, Person = read.Person, Action = read.Action, MessageId = read.MessageId })];

    /// <summary>The subject report, one line per disclosure with its erasure confirmation.</summary>
    public void Record(SubjectReport report) =>
        _disclosures = [.. report.Disclosures.Select(disclosure => new DemoDisclosure
        {
            Recipient = disclosure.Recipient,
            MessageType = disclosure.MessageType,
            LegalBasis = disclosure.LegalBasis,
            DisclosedFields = disclosure.DisclosedFields,
            ErasureConfirmedAt = report.Erasures.FirstOrDefault(erasure => erasure.PeerId == disclosure.Recipient)?.ConfirmedAt,
        })];

    /// <summary>A problem found along the way, such as a step that could not go on.</summary>
    public void Fail(string problem) => _problems.Add(problem);

    public DemoSummary ToSummary(string storage, string transport) => new()
    {
        Storage = storage,
        Transport = transport,
        Messages = _messages,
        Consent = Consent,
        Residence = Residence(),
        ErasureVerified = DemoNodes.Recipients.ToDictionary(peer => peer, peer => _erasureChecks.Any(check => check.Peer == peer && check.Erased), StringComparer.Ordinal),
        ReadAudit = _reads ?? [],
        SubjectReport = _disclosures ?? [],
        FailedChecks = FailedChecks(),
    };

    /// <summary>Per recipient of the referral: the residence fields it received and those its profile held back.</summary>
    private List<DemoResidence> Residence() =>
    [
        .. DemoNodes.Recipients.Where(_previews.ContainsKey).Select(recipient => new DemoResidence
        {
            Recipient = recipient,
            DisclosureProfile = _previews[recipient].DisclosureProfile,
            Received = [.. (Referral(recipient)?.DisclosedFields ?? []).Where(IsResidence).Order(StringComparer.Ordinal)],
            Withheld = [.. _previews[recipient].Withheld.Select(field => field.Path).Where(IsResidence).Order(StringComparer.Ordinal)],
        }),
    ];

    private DemoMessage? Referral(string recipient) =>
        _messages.Find(message => message.MessageType == MessageTypes.ReferralRequest && message.To == recipient);

    private List<string> FailedChecks()
    {
        var failed = new List<string>(_problems);
        failed.AddRange(ResidenceProblems());
        failed.AddRange(OversightProblems());
        failed.AddRange(_messages
            .Where(message => !message.ReceiptVerified)
            .Select(message => $"{message.MessageType} {message.MessageId} {message.From} → {message.To} was not delivered with a verified receipt (state {message.State}{(message.LastError is null ? string.Empty : ", " + message.LastError)})"));
        if (Consent is null)
        {
            failed.Add("no consent was recorded on EE-SKA");
            return failed;
        }

        if (!Consent.Withdrawn)
        {
            failed.Add($"consent {Consent.Id} was not withdrawn");
        }

        foreach (var peer in DemoNodes.Recipients)
        {
            if (!Consent.Erasures.Any(erasure => erasure.Peer == peer && erasure.Confirmed))
            {
                failed.Add(Consent.Erasures.Any(erasure => erasure.Peer == peer)
                    ? $"{peer} did not confirm erasure (no ErasureConfirmed recorded on EE-SKA)"
                    : $"no ConsentWithdrawn was sent to {peer}");
            }

            var check = _erasureChecks.Find(item => item.Peer == peer);
            if (check is null)
            {
                failed.Add($"the referral's content on {peer} was not checked after erasure");
            }
            else if (!check.Erased)
            {
                failed.Add($"GET /api/v1/inbox/{check.ReferralId} on {peer} answered {check.Status}, not 410 Gone, after erasure");
            }
        }

        return failed;
    }

    /// <summary>FI-NRM gets the whole residence block; the shelter only the counselling flag and the reflection period's end.</summary>
    private IEnumerable<string> ResidenceProblems()
    {
        var expected = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [DemoNodes.ContactPoint] = _residenceCarried,
            [DemoNodes.Shelter] = [.. _residenceCarried.Intersect(ShelterResidence, StringComparer.Ordinal)],
        };
        foreach (var (recipient, fields) in expected)
        {
            if (Referral(recipient) is not { } referral)
            {
                continue; // Reported as not delivered, or the scenario stopped earlier.
            }

            var received = referral.DisclosedFields.Where(IsResidence).ToHashSet(StringComparer.Ordinal);
            if (!received.SetEquals(fields))
            {
                yield return $"{recipient} received the residence fields [{string.Join(", ", received.Order(StringComparer.Ordinal))}], not [{string.Join(", ", fields)}]";
            }
        }
    }

    /// <summary>The read audit names the caseworker's preview of each recipient; the subject report each referral and its erasure.</summary>
    private IEnumerable<string> OversightProblems()
    {
        if (_reads is null || _disclosures is null)
        {
            yield return "the read audit and the subject report of the case were not produced";
            yield break;
        }

        var previews = _reads.Count(read => read.Action == "ContentRead" && read.MessageId is null);
        if (previews < _previews.Count)
        {
            yield return $"the read audit lists {previews} preview read(s), not the {_previews.Count} the caseworker made";
        }

        foreach (var recipient in DemoNodes.Recipients)
        {
            var referral = _disclosures.Find(disclosure => disclosure.Recipient == recipient && disclosure.MessageType == MessageTypes.ReferralRequest);
            if (referral is null)
            {
                yield return $"the subject report does not list the referral to {recipient}";
            }
            else if (referral.ErasureConfirmedAt is null)
            {
                yield return $"the subject report does not show {recipient}'s erasure confirmation";
            }
        }
    }

    private static bool IsResidence(string path) => path.StartsWith("residence.", StringComparison.Ordinal);

    private static int IndexOf(string peer) => DemoNodes.Recipients.ToList().IndexOf(peer) is var index and >= 0 ? index : int.MaxValue;
}
