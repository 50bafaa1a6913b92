using System.Security.Cryptography;
using Gateway.Contracts.Envelopes;
using Gateway.Service.Persistence;
using Gateway.Service.Audit;
using Gateway.Service.Delivery;
using Gateway.Service.Inbox;
using Gateway.Service.Referrals;
using Gateway.Service.Telemetry;
using Gateway.Testing.Persistence;

namespace Gateway.Tests.Persistence;

/// <summary>
/// What the node's stores promise (<see cref="NodeStores"/>), whatever the database (DESIGN §9: the same contract tests run against
/// SQLite and PostgreSQL). Each derived class supplies an empty database per test; every time is an explicit
/// instant at whole milliseconds (the store keeps Unix milliseconds), so leases expire without sleeping.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 15, 9, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan RelayLease = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan AttemptLease = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));

    private string? _connectionString;

    private NodeStores? _stores;

    protected abstract StorageProvider Provider { get; }

    /// <summary>The connection string of this test's database, created and initialised before the test.</summary>
    protected string ConnectionString => _connectionString ?? throw new InvalidOperationException("The database is not created yet.");

    protected NodeStores Stores => _stores ?? throw new InvalidOperationException("The stores are not initialised yet.");

    protected CancellationToken Ct => _timeout.Token;

    /// <summary>Creates an empty database that only this test class instance uses; returns its connection string.</summary>
    protected abstract Task<string> CreateDatabaseAsync(CancellationToken cancellationToken);

    /// <summary>Removes every database this instance created.</summary>
    protected abstract Task DeleteDatabasesAsync();

    /// <summary>Blocks every write of the store (from another connection) until disposed.</summary>
    protected abstract Task<IAsyncDisposable> HoldWritesAsync(CancellationToken cancellationToken);

    public async Task InitializeAsync()
    {
        _connectionString = await CreateDatabaseAsync(Ct);
        _stores = NodeStores.Create(Provider, _connectionString);
        await _stores.Database.InitializeAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        if (_stores is not null)
        {
            await _stores.Database.DisposeAsync();
        }

        await DeleteDatabasesAsync();
        _timeout.Dispose();
    }

    // Outbound messages

    [Fact]
    public async Task Added_outbound_message_reads_back_with_the_same_fields_Queued_and_no_attempts()
    {
        var message = NewOutbound(idempotencyKey: "key-" + Guid.NewGuid().ToString("N"));

        await Stores.AddOutboundAsync(message, Ct);
        var stored = await Stores.Sent.GetAsync(message.MessageId, Ct);

        Assert.NotNull(stored);
        Assert.Equal(message.MessageId, stored.MessageId);
        Assert.Equal(message.PeerId, stored.PeerId);
        Assert.Equal(message.MessageType, stored.MessageType);
        Assert.Equal(message.ConversationId, stored.ConversationId);
        Assert.Equal(message.IdempotencyKey, stored.IdempotencyKey);
        Assert.Equal(message.Envelope, stored.Envelope);
        Assert.Equal(DeliveryState.Queued, stored.State);
        Assert.Equal(0, stored.Attempts);
        Assert.Equal(message.CreatedAt, stored.CreatedAt);
        Assert.Equal(message.ExpiresAt, stored.ExpiresAt);
        Assert.Equal(message.NextAttemptAt, stored.NextAttemptAt);
        Assert.Null(stored.LastError);
        Assert.Null(stored.Receipt);
        Assert.Null(stored.DeliveredAt);
    }

    [Fact]
    public async Task Unknown_outbound_message_id_reads_as_null()
    {
        Assert.Null(await Stores.Sent.GetAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task Second_message_with_the_same_idempotency_key_is_refused_with_DuplicateIdempotencyKeyException()
    {
        await Stores.AddOutboundAsync(NewOutbound(idempotencyKey: "client-retry-1"), Ct);

        await Assert.ThrowsAsync<DuplicateIdempotencyKeyException>(
            () => Stores.AddOutboundAsync(NewOutbound(idempotencyKey: "client-retry-1"), Ct));
    }

    [Fact]
    public async Task A_reused_message_id_is_not_mistaken_for_a_duplicate_idempotency_key()
    {
        var first = NewOutbound(idempotencyKey: "client-retry-1");
        await Stores.AddOutboundAsync(first, Ct);

        var exception = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(
            () => Stores.AddOutboundAsync(first with { IdempotencyKey = "client-retry-2" }, Ct));

        Assert.IsNotType<DuplicateIdempotencyKeyException>(exception);
    }

    [Fact]
    public async Task Refused_duplicate_idempotency_key_leaves_the_first_message_untouched_and_stores_nothing_else()
    {
        var first = NewOutbound(idempotencyKey: "client-retry-1");
        var second = NewOutbound(idempotencyKey: "client-retry-1");
        await Stores.AddOutboundAsync(first, Ct);

        await Assert.ThrowsAsync<DuplicateIdempotencyKeyException>(() => Stores.AddOutboundAsync(second, Ct));

        var stored = await Stores.Sent.GetAsync(first.MessageId, Ct);
        Assert.NotNull(stored);
        Assert.Equal(first.Envelope, stored.Envelope);
        Assert.Equal(first.ConversationId, stored.ConversationId);
        Assert.Equal(DeliveryState.Queued, stored.State);
        Assert.Null(await Stores.Sent.GetAsync(second.MessageId, Ct));
        Assert.Equal([first.MessageId], await Stores.Outbox.LeaseDueIdsAsync(T0, RelayLease, max: 10, Ct));
    }

    [Fact]
    public async Task Message_is_found_by_its_idempotency_key()
    {
        var message = NewOutbound(idempotencyKey: "client-retry-1");
        await Stores.AddOutboundAsync(NewOutbound(idempotencyKey: "another-key"), Ct);
        await Stores.AddOutboundAsync(message, Ct);

        var found = await Stores.Sent.FindByIdempotencyKeyAsync("client-retry-1", Ct);

        Assert.NotNull(found);
        Assert.Equal(message.MessageId, found.MessageId);
        Assert.Equal(message.Envelope, found.Envelope);
    }

    [Fact]
    public async Task Unknown_idempotency_key_finds_nothing()
    {
        await Stores.AddOutboundAsync(NewOutbound(idempotencyKey: "client-retry-1"), Ct);

        Assert.Null(await Stores.Sent.FindByIdempotencyKeyAsync("client-retry-2", Ct));
    }

    [Fact]
    public async Task Messages_without_an_idempotency_key_do_not_collide()
    {
        await Stores.AddOutboundAsync(NewOutbound(idempotencyKey: null), Ct);
        await Stores.AddOutboundAsync(NewOutbound(idempotencyKey: null), Ct);

        var counts = await Stores.Sent.CountByStateAsync(Ct);

        Assert.Equal(2, counts[DeliveryState.Queued]);
    }

    // Outbox relay leases

    [Fact]
    public async Task Due_outbox_row_is_leased_and_returned()
    {
        var message = NewOutbound();
        await Stores.AddOutboundAsync(message, Ct);

        var leased = await Stores.Outbox.LeaseDueIdsAsync(T0, RelayLease, max: 10, Ct);

        Assert.Equal([message.MessageId], leased);
    }

    [Fact]
    public async Task Leased_outbox_row_is_not_returned_again_while_its_lease_holds()
    {
        await Stores.AddOutboundAsync(NewOutbound(), Ct);
        await Stores.Outbox.LeaseDueIdsAsync(T0, RelayLease, max: 10, Ct);

        var again = await Stores.Outbox.LeaseDueIdsAsync(T0 + RelayLease, RelayLease, max: 10, Ct);

        Assert.Empty(again);
    }

    [Fact]
    public async Task Leased_outbox_row_is_returned_again_after_its_lease_expired()
    {
        var message = NewOutbound();
        await Stores.AddOutboundAsync(message, Ct);
        await Stores.Outbox.LeaseDueIdsAsync(T0, RelayLease, max: 10, Ct);

        var again = await Stores.Outbox.LeaseDueIdsAsync(T0 + RelayLease + OneMillisecond, RelayLease, max: 10, Ct);

        Assert.Equal([message.MessageId], again);
    }

    [Fact]
    public async Task Lease_returns_at_most_max_rows()
    {
        var ids = new HashSet<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var message = NewOutbound(nextAttemptAt: T0 - TimeSpan.FromSeconds(i));
            ids.Add(message.MessageId);
            await Stores.AddOutboundAsync(message, Ct);
        }

        var leased = await Stores.Outbox.LeaseDueIdsAsync(T0, RelayLease, max: 2, Ct);

        Assert.Equal(2, leased.Count);
        Assert.Subset(ids, leased.ToHashSet());
    }

    [Fact]
    public async Task Outbox_row_whose_publish_after_is_in_the_future_is_not_leased()
    {
        await Stores.AddOutboundAsync(NewOutbound(nextAttemptAt: T0 + OneMillisecond), Ct);

        var leased = await Stores.Outbox.LeaseDueIdsAsync(T0, RelayLease, max: 10, Ct);

        Assert.Empty(leased);
    }

    // Delivery attempts

    [Fact]
    public async Task Starting_an_attempt_moves_a_Queued_message_to_InFlight_and_counts_the_attempt()
    {
        var message = NewOutbound();
        await Stores.AddOutboundAsync(message, Ct);

        var claimed = await Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0, AttemptLease, Ct);

        Assert.NotNull(claimed);
        Assert.Equal(DeliveryState.InFlight, claimed.State);
        Assert.Equal(1, claimed.Attempts);
        Assert.Equal(message.Envelope, claimed.Envelope);
        Assert.Equal(DeliveryState.InFlight, (await Stores.Sent.GetAsync(message.MessageId, Ct))!.State);
    }

    [Fact]
    public async Task Message_cannot_be_claimed_before_its_next_attempt_time()
    {
        var message = NewOutbound(nextAttemptAt: T0 + TimeSpan.FromMinutes(5));
        await Stores.AddOutboundAsync(message, Ct);

        var claimed = await Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0, AttemptLease, Ct);

        Assert.Null(claimed);
        Assert.Equal(DeliveryState.Queued, (await Stores.Sent.GetAsync(message.MessageId, Ct))!.State);
    }

    [Fact]
    public async Task Second_claim_while_the_attempt_lease_holds_gets_null_and_counts_nothing()
    {
        var message = NewOutbound();
        await Stores.AddOutboundAsync(message, Ct);
        await Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0, AttemptLease, Ct);

        var duplicate = await Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0 + AttemptLease, AttemptLease, Ct);

        Assert.Null(duplicate);
        Assert.Equal(1, (await Stores.Sent.GetAsync(message.MessageId, Ct))!.Attempts);
    }

    [Fact]
    public async Task Two_simultaneous_claims_of_one_message_start_exactly_one_attempt()
    {
        var message = NewOutbound();
        await Stores.AddOutboundAsync(message, Ct);

        var claims = await Task.WhenAll(
            Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0, AttemptLease, Ct),
            Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0, AttemptLease, Ct));

        Assert.Single(claims, claim => claim is not null);
        Assert.Equal(1, (await Stores.Sent.GetAsync(message.MessageId, Ct))!.Attempts);
    }

    [Fact]
    public async Task Claim_succeeds_again_once_the_attempt_lease_expired()
    {
        var message = NewOutbound();
        await Stores.AddOutboundAsync(message, Ct);
        await Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0, AttemptLease, Ct);

        var reclaimed = await Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0 + AttemptLease + OneMillisecond, AttemptLease, Ct);

        Assert.NotNull(reclaimed);
        Assert.Equal(DeliveryState.InFlight, reclaimed.State);
        Assert.Equal(2, reclaimed.Attempts);
    }

    // Completing an attempt: Delivered

    [Fact]
    public async Task Delivered_completion_stores_the_receipt_and_the_delivery_time()
    {
        var message = await AddAndClaimAsync(T0);
        var receipt = RandomBytes(600);
        var finished = T0 + TimeSpan.FromMilliseconds(850);

        var completed = await Stores.Delivery.CompleteAttemptAsync(Delivered(message.MessageId, attempt: 1, T0, finished, receipt), Ct);

        Assert.True(completed);
        var stored = await Stores.Sent.GetAsync(message.MessageId, Ct);
        Assert.NotNull(stored);
        Assert.Equal(DeliveryState.Delivered, stored.State);
        Assert.Equal(receipt, stored.Receipt);
        Assert.Equal(finished, stored.DeliveredAt);
        Assert.Equal(1, stored.Attempts);
    }

    [Fact]
    public async Task Delivered_completion_records_the_attempt()
    {
        var message = await AddAndClaimAsync(T0);
        var finished = T0 + TimeSpan.FromMilliseconds(850);

        await Stores.Delivery.CompleteAttemptAsync(Delivered(message.MessageId, attempt: 1, T0, finished, RandomBytes(600)), Ct);

        var attempt = Assert.Single(await Stores.Delivery.GetAttemptsAsync(message.MessageId, Ct));
        Assert.Equal(
            new DeliveryAttempt
            {
                MessageId = message.MessageId,
                Attempt = 1,
                StartedAt = T0,
                FinishedAt = finished,
                Outcome = DeliveryState.Delivered,
                HttpStatus = 200,
                ErrorCode = null,
            },
            attempt);
    }

    [Fact]
    public async Task Delivered_completion_removes_the_outbox_row()
    {
        var message = await AddAndClaimAsync(T0);

        await Stores.Delivery.CompleteAttemptAsync(Delivered(message.MessageId, attempt: 1, T0, T0 + TimeSpan.FromSeconds(1), RandomBytes(600)), Ct);

        Assert.Empty(await Stores.Outbox.LeaseDueIdsAsync(T0 + TimeSpan.FromDays(365), RelayLease, max: 10, Ct));
    }

    // Completing an attempt: RetryWaiting

    [Fact]
    public async Task Retry_completion_reschedules_the_outbox_row_to_the_next_attempt_time()
    {
        var next = T0 + TimeSpan.FromMinutes(10);
        var message = NewOutbound();
        await Stores.AddOutboundAsync(message, Ct);
        await Stores.Outbox.LeaseDueIdsAsync(T0, RelayLease, max: 10, Ct);
        await Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0, AttemptLease, Ct);

        await Stores.Delivery.CompleteAttemptAsync(RetryWaiting(message.MessageId, attempt: 1, T0, T0 + TimeSpan.FromSeconds(5), next), Ct);

        Assert.Empty(await Stores.Outbox.LeaseDueIdsAsync(next - OneMillisecond, RelayLease, max: 10, Ct));
        Assert.Equal([message.MessageId], await Stores.Outbox.LeaseDueIdsAsync(next, RelayLease, max: 10, Ct));
    }

    [Fact]
    public async Task Retry_completion_leaves_the_message_RetryWaiting_with_its_error_and_next_attempt_time()
    {
        var next = T0 + TimeSpan.FromMinutes(10);
        var message = await AddAndClaimAsync(T0);

        await Stores.Delivery.CompleteAttemptAsync(RetryWaiting(message.MessageId, attempt: 1, T0, T0 + TimeSpan.FromSeconds(5), next), Ct);

        var stored = await Stores.Sent.GetAsync(message.MessageId, Ct);
        Assert.NotNull(stored);
        Assert.Equal(DeliveryState.RetryWaiting, stored.State);
        Assert.Equal("TIMEOUT", stored.LastError);
        Assert.Equal(next, stored.NextAttemptAt);
        Assert.Null(stored.Receipt);
        Assert.Null(stored.DeliveredAt);
    }

    [Fact]
    public async Task Retry_waiting_message_can_be_claimed_again_only_from_its_next_attempt_time()
    {
        var next = T0 + TimeSpan.FromMinutes(10);
        var message = await AddAndClaimAsync(T0);
        await Stores.Delivery.CompleteAttemptAsync(RetryWaiting(message.MessageId, attempt: 1, T0, T0 + TimeSpan.FromSeconds(5), next), Ct);

        var early = await Stores.Delivery.TryStartAttemptAsync(message.MessageId, next - OneMillisecond, AttemptLease, Ct);
        var onTime = await Stores.Delivery.TryStartAttemptAsync(message.MessageId, next, AttemptLease, Ct);

        Assert.Null(early);
        Assert.NotNull(onTime);
        Assert.Equal(DeliveryState.InFlight, onTime.State);
        Assert.Equal(2, onTime.Attempts);
    }

    // Completing an attempt that is no longer the current one

    [Fact]
    public async Task Completion_for_a_stale_attempt_number_returns_false_and_changes_nothing()
    {
        var message = await AddAndClaimAsync(T0);
        var reclaimedAt = T0 + AttemptLease + OneMillisecond;
        await Stores.Delivery.TryStartAttemptAsync(message.MessageId, reclaimedAt, AttemptLease, Ct);
        var before = await Stores.Sent.GetAsync(message.MessageId, Ct);

        var completed = await Stores.Delivery.CompleteAttemptAsync(
            Delivered(message.MessageId, attempt: 1, T0, reclaimedAt + TimeSpan.FromSeconds(1), RandomBytes(600)), Ct);

        Assert.False(completed);
        var after = await Stores.Sent.GetAsync(message.MessageId, Ct);
        Assert.NotNull(before);
        Assert.NotNull(after);
        Assert.Equal(DeliveryState.InFlight, after.State);
        Assert.Equal(2, after.Attempts);
        Assert.Null(after.Receipt);
        Assert.Null(after.DeliveredAt);
        Assert.Equal(before with { Envelope = after.Envelope, DisclosedFields = after.DisclosedFields }, after);
        Assert.Equal(before.DisclosedFields, after.DisclosedFields);
        Assert.Empty(await Stores.Delivery.GetAttemptsAsync(message.MessageId, Ct));
        Assert.Equal([message.MessageId], await Stores.Outbox.LeaseDueIdsAsync(reclaimedAt, RelayLease, max: 10, Ct));
    }

    // The audit chain

    [Fact]
    public async Task Concurrent_audit_appends_form_one_unbroken_chain()
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, 40), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
            await Stores.Audit.AppendAsync(new AuditEntry { At = T0, Actor = "system", Action = "Test", Detail = $"{{\"i\":{i}}}" }, token));

        var entries = await Stores.Audit.ListAsync(null, 100, Ct);

        AssertUnbrokenChain(entries, 40);
    }

    private static void AssertUnbrokenChain(IReadOnlyList<AuditEntry> entries, int count)
    {
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), entries.Select(entry => entry.Sequence));
        Assert.Equal(AuditChain.Genesis, entries[0].PreviousHash);
        Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.All(entries, entry => Assert.Equal(AuditChain.HashOf(entry), entry.Hash));
    }

    // Group commit: submissions and receptions that queue behind one another share a transaction

    [Fact]
    public async Task Submissions_and_receptions_queued_behind_a_held_write_commit_together_in_one_unbroken_audit_chain()
    {
        var first = NewOutbound();
        var outbound = Enumerable.Range(0, 20).Select(_ => NewOutbound()).ToList();
        var inbound = Enumerable.Range(0, 20).Select(_ => NewInbound()).ToList();
        var transactionsBefore = Stores.Database.UnitTransactions;
        Task firstWrite;
        Task[] submitted;
        Task<bool>[] received;
        await using (await HoldWritesAsync(Ct))
        {
            firstWrite = Stores.AddOutboundAsync(first, Ct, [LineFor(first.MessageId)]);
            await WaitUntilAsync(() => Stores.Database.QueuedUnits == 0);
            submitted = [.. outbound.Select(message => Stores.AddOutboundAsync(message, Ct, [LineFor(message.MessageId)]))];
            received = [.. inbound.Select(message => Stores.TryAddInboundAsync(message, Ct, LineFor(message.MessageId)))];
            await WaitUntilAsync(() => Stores.Database.QueuedUnits == 40);
            Assert.False(firstWrite.IsCompleted);
        }

        await firstWrite;
        await Task.WhenAll(submitted);
        Assert.All(await Task.WhenAll(received), Assert.True);

        Assert.Equal(2, Stores.Database.UnitTransactions - transactionsBefore);
        Assert.Equal(21, (await Stores.Outbox.LeaseDueIdsAsync(T0, RelayLease, max: 100, Ct)).Count);
        Assert.Equal(21, (await Stores.Sent.CountByStateAsync(Ct))[DeliveryState.Queued]);
        foreach (var message in inbound)
        {
            Assert.Equal(message.Envelope, (await Stores.Inbox.GetAsync(message.MessageId, Ct))!.Envelope);
        }

        var entries = await Stores.Audit.ListAsync(null, 100, Ct);
        AssertUnbrokenChain(entries, 41);
        Assert.Equal(
            [.. new[] { first.MessageId }.Concat(outbound.Select(message => message.MessageId)).Concat(inbound.Select(message => message.MessageId)).Order()],
            entries.Select(entry => entry.MessageId!.Value).Order());
    }

    [Fact]
    public async Task A_reused_idempotency_key_in_a_group_is_refused_alone_and_the_rest_of_its_group_is_stored()
    {
        var first = NewOutbound(idempotencyKey: "retry-1");
        var reused = NewOutbound(idempotencyKey: "retry-1");
        var others = Enumerable.Range(0, 3).Select(_ => NewOutbound()).ToList();
        Task firstWrite, reusedWrite;
        Task[] otherWrites;
        await using (await HoldWritesAsync(Ct))
        {
            firstWrite = Stores.AddOutboundAsync(first, Ct, [LineFor(first.MessageId)]);
            await WaitUntilAsync(() => Stores.Database.QueuedUnits == 0);
            reusedWrite = Stores.AddOutboundAsync(reused, Ct, [LineFor(reused.MessageId)]);
            otherWrites = [.. others.Select(message => Stores.AddOutboundAsync(message, Ct, [LineFor(message.MessageId)]))];
            await WaitUntilAsync(() => Stores.Database.QueuedUnits == 4);
        }

        await firstWrite;
        await Assert.ThrowsAsync<DuplicateIdempotencyKeyException>(() => reusedWrite);
        await Task.WhenAll(otherWrites);

        Assert.Null(await Stores.Sent.GetAsync(reused.MessageId, Ct));
        Assert.Equal(first.MessageId, (await Stores.Sent.FindByIdempotencyKeyAsync("retry-1", Ct))!.MessageId);
        foreach (var message in others)
        {
            Assert.NotNull(await Stores.Sent.GetAsync(message.MessageId, Ct));
        }

        var entries = await Stores.Audit.ListAsync(null, 100, Ct);
        AssertUnbrokenChain(entries, 4);
        Assert.DoesNotContain(entries, entry => entry.MessageId == reused.MessageId);
    }

    [Fact]
    public async Task A_repeated_inbound_id_in_a_group_is_not_stored_again_and_gets_no_audit_line()
    {
        var first = NewInbound();
        var repeated = NewInbound(first.MessageId);
        var other = NewInbound();
        Task<bool> firstWrite, repeatedWrite, otherWrite;
        await using (await HoldWritesAsync(Ct))
        {
            firstWrite = Stores.TryAddInboundAsync(first, Ct, LineFor(first.MessageId));
            await WaitUntilAsync(() => Stores.Database.QueuedUnits == 0);
            repeatedWrite = Stores.TryAddInboundAsync(repeated, Ct, LineFor(repeated.MessageId));
            otherWrite = Stores.TryAddInboundAsync(other, Ct, LineFor(other.MessageId));
            await WaitUntilAsync(() => Stores.Database.QueuedUnits == 2);
        }

        Assert.True(await firstWrite);
        Assert.False(await repeatedWrite);
        Assert.True(await otherWrite);

        Assert.Equal(first.Envelope, (await Stores.Inbox.GetAsync(first.MessageId, Ct))!.Envelope);
        var entries = await Stores.Audit.ListAsync(null, 100, Ct);
        AssertUnbrokenChain(entries, 2);
        Assert.Equal([first.MessageId, other.MessageId], entries.Select(entry => entry.MessageId!.Value));
    }

    [Fact]
    public async Task Only_plain_unsettled_messages_outside_withdrawn_conversations_are_settled_together_and_marks_are_set_once()
    {
        var plain = NewInbound();
        var settledBefore = NewInbound();
        var withdrawal = NewInbound() with { MessageType = MessageTypes.ConsentWithdrawn };
        var inWithdrawnConversation = NewInbound() with { ConversationId = withdrawal.ConversationId };
        var confirmation = NewInbound() with { MessageType = MessageTypes.ErasureConfirmed };
        foreach (var message in new[] { plain, settledBefore, withdrawal, inWithdrawnConversation, confirmation })
        {
            Assert.True(await Stores.TryAddInboundAsync(message, Ct));
        }

        Assert.True(await Stores.Inbox.CompleteAsync(settledBefore.MessageId, T0, Ct));

        var settled = await Stores.Inbox.SettlePlainAsync(
            [plain.MessageId, settledBefore.MessageId, withdrawal.MessageId, inWithdrawnConversation.MessageId, confirmation.MessageId, Guid.NewGuid()],
            T0 + OneMillisecond, Ct);

        Assert.Equal([plain.MessageId], settled);
        Assert.Equal(T0 + OneMillisecond, (await Stores.Inbox.GetAsync(plain.MessageId, Ct))!.ProcessedAt);
        Assert.Equal(T0, (await Stores.Inbox.GetAsync(settledBefore.MessageId, Ct))!.ProcessedAt);
        Assert.Equal(
            new[] { withdrawal.MessageId, inWithdrawnConversation.MessageId, confirmation.MessageId }.Order(),
            (await Stores.Inbox.ListUnprocessedAsync(10, Ct)).Where(message => message.ProcessedAt is null).Select(message => message.MessageId).Order());

        await Stores.Inbox.MarkPublishedAsync([plain.MessageId, settledBefore.MessageId], T0, Ct);
        await Stores.Inbox.MarkPublishedAsync([plain.MessageId], T0 + TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(T0, (await Stores.Inbox.GetAsync(plain.MessageId, Ct))!.PublishedAt);
        Assert.DoesNotContain(await Stores.Inbox.ListUnprocessedAsync(10, Ct), message => message.MessageId == plain.MessageId || message.MessageId == settledBefore.MessageId);
    }

    [Fact]
    public async Task Completions_queued_behind_a_held_write_commit_together_and_a_repeated_one_changes_nothing()
    {
        var first = await AddAndClaimAsync(T0);
        var retried = await AddAndClaimAsync(T0);
        var delivered = await AddAndClaimAsync(T0);
        var finished = T0 + TimeSpan.FromSeconds(1);
        var next = T0 + TimeSpan.FromMinutes(5);
        var transactionsBefore = Stores.Delivery.CompletionTransactions;
        Task<bool> firstWrite, retriedWrite, deliveredWrite, repeatedWrite;
        await using (await HoldWritesAsync(Ct))
        {
            firstWrite = Stores.Delivery.CompleteAttemptAsync(Delivered(first.MessageId, 1, T0, finished, [1, 2, 3]), Ct);
            await WaitUntilAsync(() => Stores.Delivery.QueuedCompletions == 0);
            retriedWrite = Stores.Delivery.CompleteAttemptAsync(RetryWaiting(retried.MessageId, 1, T0, finished, next), Ct);
            deliveredWrite = Stores.Delivery.CompleteAttemptAsync(Delivered(delivered.MessageId, 1, T0, finished, [4, 5, 6]), Ct);
            repeatedWrite = Stores.Delivery.CompleteAttemptAsync(Delivered(delivered.MessageId, 1, T0, finished, [7, 8, 9]), Ct);
            await WaitUntilAsync(() => Stores.Delivery.QueuedCompletions == 3);
            Assert.False(firstWrite.IsCompleted);
        }

        Assert.True(await firstWrite);
        Assert.True(await retriedWrite);
        Assert.True(await deliveredWrite);
        Assert.False(await repeatedWrite);
        Assert.Equal(2, Stores.Delivery.CompletionTransactions - transactionsBefore);

        Assert.Equal(DeliveryState.Delivered, (await Stores.Sent.GetAsync(first.MessageId, Ct))!.State);
        Assert.Equal(DeliveryState.RetryWaiting, (await Stores.Sent.GetAsync(retried.MessageId, Ct))!.State);
        var settled = (await Stores.Sent.GetAsync(delivered.MessageId, Ct))!;
        Assert.Equal(DeliveryState.Delivered, settled.State);
        Assert.Equal(new byte[] { 4, 5, 6 }, settled.Receipt);
        Assert.Single(await Stores.Delivery.GetAttemptsAsync(delivered.MessageId, Ct));
        Assert.Single(await Stores.Delivery.GetAttemptsAsync(retried.MessageId, Ct));
        Assert.Empty(await Stores.Outbox.LeaseDueIdsAsync(next - OneMillisecond, RelayLease, max: 10, Ct));
        Assert.Equal([retried.MessageId], await Stores.Outbox.LeaseDueIdsAsync(next, RelayLease, max: 10, Ct));
    }

    [Fact]
    public async Task Claims_queued_behind_a_held_write_commit_together_and_a_repeated_claim_gets_null()
    {
        var messages = Enumerable.Range(0, 3).Select(_ => NewOutbound(nextAttemptAt: T0)).ToList();
        foreach (var message in messages)
        {
            await Stores.AddOutboundAsync(message, Ct);
        }

        var transactionsBefore = Stores.Delivery.ClaimTransactions;
        Task<OutboundMessage?> firstClaim, repeatedClaim;
        Task<OutboundMessage?>[] otherClaims;
        await using (await HoldWritesAsync(Ct))
        {
            firstClaim = Stores.Delivery.TryStartAttemptAsync(messages[0].MessageId, T0, AttemptLease, Ct);
            await WaitUntilAsync(() => Stores.Delivery.QueuedClaims == 0);
            otherClaims = [.. messages.Skip(1).Select(message => Stores.Delivery.TryStartAttemptAsync(message.MessageId, T0, AttemptLease, Ct))];
            repeatedClaim = Stores.Delivery.TryStartAttemptAsync(messages[1].MessageId, T0, AttemptLease, Ct);
            await WaitUntilAsync(() => Stores.Delivery.QueuedClaims == 3);
            Assert.False(firstClaim.IsCompleted);
        }

        var claimed = (await Task.WhenAll(otherClaims)).Prepend(await firstClaim).ToList();
        Assert.Null(await repeatedClaim);
        Assert.Equal(2, Stores.Delivery.ClaimTransactions - transactionsBefore);
        Assert.Equal(messages.Select(message => message.MessageId), claimed.Select(message => message!.MessageId));
        Assert.All(claimed, message => Assert.Equal((DeliveryState.InFlight, 1), (message!.State, message.Attempts)));
        Assert.Equal(messages[1].Envelope, claimed[1]!.Envelope);
        Assert.Equal(1, (await Stores.Sent.GetAsync(messages[1].MessageId, Ct))!.Attempts);
    }

    private static AuditEntry LineFor(Guid messageId) => new() { At = T0, Actor = "system", Action = "Test", MessageId = messageId };

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(10, Ct);
        }
    }

    // Counting

    [Fact]
    public async Task Outbound_messages_are_counted_per_state()
    {
        await Stores.AddOutboundAsync(NewOutbound(), Ct);
        await Stores.AddOutboundAsync(NewOutbound(), Ct);
        await AddAndClaimAsync(T0);
        var delivered = await AddAndClaimAsync(T0);
        await Stores.Delivery.CompleteAttemptAsync(Delivered(delivered.MessageId, attempt: 1, T0, T0 + TimeSpan.FromSeconds(1), RandomBytes(600)), Ct);

        var counts = await Stores.Sent.CountByStateAsync(Ct);

        KeyValuePair<DeliveryState, int>[] expected =
        [
            new(DeliveryState.Queued, 2),
            new(DeliveryState.InFlight, 1),
            new(DeliveryState.Delivered, 1),
        ];
        Assert.Equal(expected, counts.OrderBy(count => count.Key));
    }

    [Fact]
    public async Task Each_peer_is_summarised_with_its_open_states_the_last_days_deliveries_and_its_last_delivery_ever()
    {
        var threeDaysAgo = T0 - TimeSpan.FromDays(3);
        await Stores.AddOutboundAsync(NewOutbound(), Ct);
        await Stores.AddOutboundAsync(NewOutbound(), Ct);
        await AddAndClaimAsync(T0);
        var oldDelivery = await AddAndClaimAsync(threeDaysAgo);
        await Stores.Delivery.CompleteAttemptAsync(Delivered(oldDelivery.MessageId, attempt: 1, threeDaysAgo, threeDaysAgo + TimeSpan.FromSeconds(1), RandomBytes(600)), Ct);
        var recentDelivery = await AddAndClaimAsync(T0);
        await Stores.Delivery.CompleteAttemptAsync(Delivered(recentDelivery.MessageId, attempt: 1, T0, T0 + TimeSpan.FromSeconds(1), RandomBytes(600)), Ct);

        // Another peer with nothing delivered in the last day: it is still listed, with its last delivery.
        var latvian = NewOutbound(nextAttemptAt: threeDaysAgo) with { PeerId = "LV-NGO-SAFEHOUSE" };
        await Stores.AddOutboundAsync(latvian, Ct);
        await Stores.Delivery.TryStartAttemptAsync(latvian.MessageId, threeDaysAgo, AttemptLease, Ct);
        await Stores.Delivery.CompleteAttemptAsync(Delivered(latvian.MessageId, attempt: 1, threeDaysAgo, threeDaysAgo + TimeSpan.FromSeconds(2), RandomBytes(600)), Ct);
        var waiting = NewOutbound(nextAttemptAt: T0) with { PeerId = "LV-NGO-SAFEHOUSE" };
        await Stores.AddOutboundAsync(waiting, Ct);
        await Stores.Delivery.TryStartAttemptAsync(waiting.MessageId, T0, AttemptLease, Ct);
        await Stores.Delivery.CompleteAttemptAsync(RetryWaiting(waiting.MessageId, attempt: 1, T0, T0 + TimeSpan.FromSeconds(1), T0 + TimeSpan.FromMinutes(5)), Ct);

        var summaries = (await Stores.Operations.SummarizePeersAsync(T0 + TimeSpan.FromMinutes(1), Ct)).OrderBy(summary => summary.PeerId, StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                new PeerQueueSummary
                {
                    PeerId = "FI-NRM", Queued = 2, InFlight = 1, DeliveredLastDay = 1,
                    OldestUndeliveredAt = T0 - TimeSpan.FromSeconds(30), LastDeliveredAt = T0 + TimeSpan.FromSeconds(1),
                },
                new PeerQueueSummary
                {
                    PeerId = "LV-NGO-SAFEHOUSE", RetryWaiting = 1,
                    OldestUndeliveredAt = T0 - TimeSpan.FromSeconds(30), LastDeliveredAt = threeDaysAgo + TimeSpan.FromSeconds(2),
                },
            ],
            summaries);
    }

    [Fact]
    public async Task Empty_store_counts_no_outbound_state()
    {
        Assert.Empty(await Stores.Sent.CountByStateAsync(Ct));
    }

    // Inbound messages

    [Fact]
    public async Task New_inbound_message_is_stored()
    {
        var inserted = await Stores.TryAddInboundAsync(NewInbound(), Ct);

        Assert.True(inserted);
    }

    [Fact]
    public async Task Inbound_message_with_an_already_stored_id_is_not_stored_again()
    {
        var original = NewInbound();
        await Stores.TryAddInboundAsync(original, Ct);

        var inserted = await Stores.TryAddInboundAsync(NewInbound(original.MessageId), Ct);

        Assert.False(inserted);
    }

    [Fact]
    public async Task Refused_inbound_duplicate_keeps_the_original_envelope_and_receipt()
    {
        var original = NewInbound();
        await Stores.TryAddInboundAsync(original, Ct);

        await Stores.TryAddInboundAsync(NewInbound(original.MessageId), Ct);

        var stored = await Stores.Inbox.GetAsync(original.MessageId, Ct);
        Assert.NotNull(stored);
        Assert.Equal(original.Envelope, stored.Envelope);
        Assert.Equal(original.EnvelopeSha256, stored.EnvelopeSha256);
        Assert.Equal(original.Receipt, stored.Receipt);
        Assert.Equal(original.ConversationId, stored.ConversationId);
    }

    [Fact]
    public async Task Inbound_message_reads_back_byte_for_byte()
    {
        var message = NewInbound();
        await Stores.TryAddInboundAsync(message, Ct);

        var stored = await Stores.Inbox.GetAsync(message.MessageId, Ct);

        Assert.NotNull(stored);
        Assert.Equal(message.Envelope, stored.Envelope);
        Assert.Equal(message.Receipt, stored.Receipt);
        Assert.Equal(message with { Envelope = stored.Envelope, Receipt = stored.Receipt }, stored);
    }

    [Fact]
    public async Task Unknown_inbound_message_id_reads_as_null()
    {
        Assert.Null(await Stores.Inbox.GetAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task Inbound_messages_are_counted_once_each()
    {
        var first = NewInbound();
        await Stores.TryAddInboundAsync(first, Ct);
        await Stores.TryAddInboundAsync(NewInbound(), Ct);
        await Stores.TryAddInboundAsync(NewInbound(first.MessageId), Ct);

        Assert.Equal(2, await Stores.Inbox.CountAsync(Ct));
    }

    // Schema

    [Fact]
    public async Task Initializing_an_initialized_database_again_succeeds_and_keeps_its_data()
    {
        var message = NewOutbound();
        await Stores.AddOutboundAsync(message, Ct);

        await using (var again = NodeStores.Create(Provider, ConnectionString).Database)
        {
            await again.InitializeAsync(Ct);
        }

        await Stores.Database.InitializeAsync(Ct);
        Assert.NotNull(await Stores.Sent.GetAsync(message.MessageId, Ct));
    }

    private async Task<OutboundMessage> AddAndClaimAsync(DateTimeOffset now)
    {
        var message = NewOutbound(nextAttemptAt: now);
        await Stores.AddOutboundAsync(message, Ct);
        return await Stores.Delivery.TryStartAttemptAsync(message.MessageId, now, AttemptLease, Ct)
            ?? throw new InvalidOperationException("A due, queued message could not be claimed.");
    }

    private static OutboundMessage NewOutbound(string? idempotencyKey = null, DateTimeOffset? nextAttemptAt = null) => new()
    {
        MessageId = Guid.NewGuid(),
        PeerId = "FI-NRM",
        MessageType = MessageTypes.ReferralRequest,
        ConversationId = "conv-synthetic-" + Guid.NewGuid().ToString("N"),
        IdempotencyKey = idempotencyKey,
        Purpose = "Assistance",
        DisclosureProfile = "contact-point",
        DisclosedFields = ["prs_FirstName", "spl_Type"],
        SubmittedBy = "CN=caseworker-1, OU=caseworker, O=EE-SKA",
        Envelope = RandomBytes(2048),
        State = DeliveryState.Queued,
        CreatedAt = T0 - TimeSpan.FromSeconds(30),
        ExpiresAt = T0 + TimeSpan.FromDays(2),
        NextAttemptAt = nextAttemptAt ?? T0,
    };

    private static InboundMessage NewInbound(Guid? messageId = null)
    {
        var envelope = RandomBytes(3000);
        return new InboundMessage
        {
            MessageId = messageId ?? Guid.NewGuid(),
            SenderId = "FI-NRM",
            MessageType = MessageTypes.AdmissionDecision,
            ConversationId = "conv-synthetic-" + Guid.NewGuid().ToString("N"),
            Envelope = envelope,
            EnvelopeSha256 = Convert.ToHexStringLower(SHA256.HashData(envelope)),
            Receipt = RandomBytes(700),
            ReceivedAt = T0,
            CreatedAt = T0 - TimeSpan.FromSeconds(5),
        };
    }

    private static AttemptCompletion Delivered(Guid messageId, int attempt, DateTimeOffset started, DateTimeOffset finished, byte[] receipt) => new()
    {
        Attempt = new DeliveryAttempt
        {
            MessageId = messageId,
            Attempt = attempt,
            StartedAt = started,
            FinishedAt = finished,
            Outcome = DeliveryState.Delivered,
            HttpStatus = 200,
        },
        Receipt = receipt,
    };

    private static AttemptCompletion RetryWaiting(Guid messageId, int attempt, DateTimeOffset started, DateTimeOffset finished, DateTimeOffset next) => new()
    {
        Attempt = new DeliveryAttempt
        {
            MessageId = messageId,
            Attempt = attempt,
            StartedAt = started,
            FinishedAt = finished,
            Outcome = DeliveryState.RetryWaiting,
            ErrorCode = "TIMEOUT",
        },
        NextAttemptAt = next,
    };

    private static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);
}
