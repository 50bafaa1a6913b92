using Gateway.Service.Audit;
using Gateway.Service.Cases;
using Gateway.Service.Consent;
using Gateway.Service.Delivery;
using Gateway.Service.Inbox;
using Gateway.Service.Keys;
using Gateway.Service.Operations;
using Gateway.Service.Outbox;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Testing.Persistence;

/// <summary>
/// One node's database and the stores of its features, as a test or a benchmark reaches them: from a running node's
/// services, or made over a database of the caller's own (also a running node's, read from outside). The two writes
/// that combine several features' rows are committed as the product commits them (a unit of work).
/// </summary>
public sealed class NodeStores(Database database, DeliveryStore delivery, CaseKeys? keys = null, bool ownsDatabase = false) : IAsyncDisposable
{
    public Database Database { get; } = database;

    public SentMessageStore Sent { get; } = new(database);

    public OutboxStore Outbox { get; } = new(database);

    public DeliveryStore Delivery { get; } = delivery;

    public InboxStore Inbox { get; } = new(database);

    public ConsentStore Consents { get; } = new(database);

    public AuditStore Audit { get; } = new(database);

    public OperationsStore Operations { get; } = new(database);

    public CaseStore Cases { get; } = new(database);

    /// <summary>The node's case keys: what opens the content it keeps (a running node's, or one over its key-encryption key file).</summary>
    public CaseKeys Keys => keys ?? throw new InvalidOperationException("these stores were made without the node's key-encryption key");

    public static NodeStores Of(IServiceProvider services) =>
        new(services.GetRequiredService<Database>(), services.GetRequiredService<DeliveryStore>(), services.GetRequiredService<CaseKeys>());

    /// <summary>The envelope of a sent message as it was sealed for the recipient; null once erased.</summary>
    public async Task<byte[]?> SentEnvelopeAsync(Guid messageId, CancellationToken cancellationToken) =>
        await Sent.GetAsync(messageId, cancellationToken) is { Envelope: { } sealedEnvelope }
            ? await Keys.OpenAsync(sealedEnvelope, SealedPurpose.SentEnvelope, messageId, cancellationToken)
            : null;

    /// <summary>The envelope of a received message as the partner delivered it; null once erased.</summary>
    public async Task<byte[]?> ReceivedEnvelopeAsync(Guid messageId, CancellationToken cancellationToken) =>
        await Inbox.GetAsync(messageId, cancellationToken) is { Envelope: { } sealedEnvelope }
            ? await Keys.OpenAsync(sealedEnvelope, SealedPurpose.ReceivedEnvelope, messageId, cancellationToken)
            : null;

    /// <summary>Stores over a database of the caller's own, grouping writes as the product does.</summary>
    public static NodeStores Create(StorageProvider provider, string connectionString)
    {
        var database = new Database(provider, connectionString, [AuditServices.Trail()]);
        return new NodeStores(database, new DeliveryStore(database), ownsDatabase: true);
    }

    /// <summary>
    /// Stores over a database of the caller's own, with the node's case keys from its key-encryption key file (a dev
    /// node's has no passphrase), so sealed content can be opened as the node would.
    /// </summary>
    public static NodeStores Create(StorageProvider provider, string connectionString, string keyEncryptionKeyFile, string? passphrase = null)
    {
        var database = new Database(provider, connectionString, [AuditServices.Trail()]);
        return new NodeStores(database, new DeliveryStore(database), KeysServices.Open(database, keyEncryptionKeyFile, passphrase, TimeProvider.System), ownsDatabase: true);
    }

    /// <summary>Closes the database when these stores made it (<see cref="Create"/>), never a running node's.</summary>
    public ValueTask DisposeAsync() => ownsDatabase ? Database.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>A submission as the sender commits it: the message (Queued), its outbox row and its audit lines.</summary>
    public Task AddOutboundAsync(OutboundMessage message, CancellationToken cancellationToken, IReadOnlyList<AuditEntry>? audit = null) =>
        Sent.AddAsync(message, new UnitOfWork().AddRange(SentMessageStore.Insert(message)).Add(OutboxStore.Insert(message.MessageId, message.NextAttemptAt)).AttachRange(audit ?? []), cancellationToken);

    /// <summary>A reception as the peer endpoint commits it: the envelope and its audit line; false when the message id is already stored.</summary>
    public Task<bool> TryAddInboundAsync(InboundMessage message, CancellationToken cancellationToken, AuditEntry? audit = null) =>
        Database.CommitAsync(new UnitOfWork(InboxStore.Insert(message)).AttachRange(audit is null ? [] : [audit]), cancellationToken);
}
