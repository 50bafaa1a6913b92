using Gateway.Service.Audit;
using Gateway.Service.Consent;
using Gateway.Service.Delivery;
using Gateway.Service.Inbox;
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
public sealed class NodeStores(Database database, DeliveryStore delivery, bool ownsDatabase = false) : IAsyncDisposable
{
    public Database Database { get; } = database;

    public SentMessageStore Sent { get; } = new(database);

    public OutboxStore Outbox { get; } = new(database);

    public DeliveryStore Delivery { get; } = delivery;

    public InboxStore Inbox { get; } = new(database);

    public ConsentStore Consents { get; } = new(database);

    public AuditStore Audit { get; } = new(database);

    public OperationsStore Operations { get; } = new(database);

    public static NodeStores Of(IServiceProvider services) =>
        new(services.GetRequiredService<Database>(), services.GetRequiredService<DeliveryStore>());

    /// <summary>Stores over a database of the caller's own, grouping writes as the product does.</summary>
    public static NodeStores Create(StorageProvider provider, string connectionString)
    {
        var database = new Database(provider, connectionString, [AuditServices.Trail()]);
        return new NodeStores(database, new DeliveryStore(database), ownsDatabase: true);
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
