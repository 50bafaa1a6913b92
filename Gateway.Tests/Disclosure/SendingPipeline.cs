using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Identity;
using Gateway.Service.Consent;
using Gateway.Service.Disclosure;
using Gateway.Service.Node;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Gateway.Testing.Persistence;
using Gateway.Tests.Federation;

namespace Gateway.Tests.Disclosure;

/// <summary>
/// EE-SKA's whole sending pipeline up to the seal (schema, consent gate on a stored consent, minimiser, sealer) with a
/// disclosure configuration chosen per call, and each recipient's own key to open what it seals: FI-NRM (a contact
/// point), LV-NGO-SAFEHOUSE (a shelter) and EE-POL (law enforcement). Only HTTP is left out.
/// </summary>
public sealed class SendingPipeline : IAsyncLifetime
{
    public const string Sender = "EE-SKA";
    public const string ContactPoint = "FI-NRM";
    public const string Shelter = "LV-NGO-SAFEHOUSE";
    public const string Police = "EE-POL";

    private readonly Dictionary<string, (DecryptionIdentity Key, EnvelopeOpener Opener)> _recipients = new(StringComparer.Ordinal);
    private TestFederation? _federation;
    private NodeIdentity? _sender;
    private NodeStores? _stores;

    public static DateTimeOffset Now { get; } = DateTimeOffset.UtcNow; // within the dev certificates' validity

    public async Task InitializeAsync()
    {
        _federation = TestFederation.Create(Sender, ContactPoint, Shelter, Police);
        var options = _federation.OptionsFor(Sender);
        _sender = NodeIdentity.Load(options.Node);
        _stores = NodeStores.Create(StorageProvider.Sqlite, options.Storage.ConnectionString);
        await _stores.Database.InitializeAsync(CancellationToken.None);
        foreach (var recipient in new[] { ContactPoint, Shelter, Police })
        {
            var key = DevPkiLayout.LoadDecryption(_federation.Pki, recipient);
            _recipients[recipient] = (key, new EnvelopeOpener(key, DevPkiLayout.LoadPeers(_federation.Pki, recipient), new CertificateValidator(TimeProvider.System)));
        }
    }

    public async Task DisposeAsync()
    {
        _sender?.Dispose();
        foreach (var (key, _) in _recipients.Values)
        {
            key.Dispose();
        }

        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        if (_federation is not null)
        {
            await _federation.DisposeAsync();
        }
    }

    /// <summary>Stores an adult's consent to <paramref name="recipient"/> for <paramref name="purpose"/> and the categories; returns its id.</summary>
    public async Task<Guid> ConsentAsync(string recipient, string purpose, IEnumerable<DataCategory> categories)
    {
        var consent = new ConsentRecord
        {
            ConsentId = Guid.NewGuid(),
            SubjectRef = "SYNTHETIC-RESIDENCE",
            GivenBy = ConsentGivenBy.Subject,
            SubjectIsMinor = false,
            ChildHeard = false,
            Scope = new ConsentScope { Recipients = [recipient], Purposes = [purpose], Categories = [.. categories] },
            ValidFrom = Now.AddDays(-1),
            ValidUntil = Now.AddDays(1),
            EvidenceRef = "SYNTHETIC-FORM",
            RecordedAt = Now,
            RecordedBy = "residence tests",
        };
        await _stores!.Consents.AddAsync(consent, CancellationToken.None);
        return consent.ConsentId;
    }

    /// <summary>Composes and seals as EE-SKA would on submit, with the given disclosure configuration (built-in when null).</summary>
    public async Task<ComposeResult> ComposeAsync(ComposeRequest request, DisclosureOptions? disclosure = null)
    {
        var policy = new DisclosurePolicy(disclosure ?? new DisclosureOptions());
        var composer = new ReferralComposer(_sender!, policy, new ConsentGate(policy), new PayloadValidator(), new EnvelopeSealer(new FixedTime(Now)), _stores!.Consents, new FixedTime(Now));
        return await composer.ComposeAsync(request, seal: true, CancellationToken.None);
    }

    /// <summary>Composes, seals, and returns what the recipient decrypts with its own key: the header and the body.</summary>
    public async Task<EnvelopePayload> SendAsync(ComposeRequest request, DisclosureOptions? disclosure = null)
    {
        var result = await ComposeAsync(request, disclosure);
        Assert.True(result.Message is not null, $"refused: {result.Refusal?.Code} {result.Refusal?.Detail} {string.Join("; ", result.Refusal?.Problems ?? [])}");
        return _recipients[request.Recipient].Opener.Open(result.Message!.Envelope!).Payload;
    }

    /// <summary>The paths of the residence block in a received body, sorted.</summary>
    public static IReadOnlyList<string> ResidenceFields(JsonElement body) =>
        [.. BodyFields.Flatten(body).Select(field => field.Key).Where(path => path.StartsWith("residence.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
