using Gateway.Service.Consent;

namespace Gateway.Service.Cli.Demo;

/// <summary>What happened during the scenario, in order, and the checks that decide the demo's exit code.</summary>
internal sealed class DemoTranscript
{
    private readonly List<DemoMessage> _messages = [];
    private readonly List<DemoErasureCheck> _erasureChecks = [];
    private readonly List<string> _problems = [];

    public IReadOnlyList<DemoMessage> Messages => _messages;

    public IReadOnlyList<DemoErasureCheck> ErasureChecks => _erasureChecks;

    public DemoConsent? Consent { get; private set; }

    public void Add(DemoMessage message) => _messages.Add(message);

    public void Add(DemoErasureCheck check) => _erasureChecks.Add(check);

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

    /// <summary>A problem found along the way, such as a step that could not go on.</summary>
    public void Fail(string problem) => _problems.Add(problem);

    public DemoSummary ToSummary(string storage, string transport) => new()
    {
        Storage = storage,
        Transport = transport,
        Messages = _messages,
        Consent = Consent,
        ErasureVerified = DemoNodes.Recipients.ToDictionary(peer => peer, peer => _erasureChecks.Any(check => check.Peer == peer && check.Erased), StringComparer.Ordinal),
        FailedChecks = FailedChecks(),
    };

    private List<string> FailedChecks()
    {
        var failed = new List<string>(_problems);
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

    private static int IndexOf(string peer) => DemoNodes.Recipients.ToList().IndexOf(peer) is var index and >= 0 ? index : int.MaxValue;
}
