using System.Globalization;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Events;
using Gateway.Contracts.Messages;
using Gateway.Service.Audit;
using Gateway.Service.Cases;
using Gateway.Service.Consent;
using Gateway.Service.Keys;
using Gateway.Service.Node;
using Gateway.Service.Outbox;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Inbox;

/// <summary>
/// Acts on stored envelopes, once each (the row's processed_at is the mark): erases a conversation on
/// ConsentWithdrawn and answers ErasureConfirmed, records ErasureConfirmed against its request, and publishes a
/// MessageReceived event for case-management systems. Work left by a crash is picked up at the next start.
/// </summary>
internal sealed partial class InboxProcessor(
    InboxStore store,
    ConsentStore consents,
    CaseKeys keys,
    ReferralComposer composer,
    ReferralSender sender,
    Database database,
    OutboxSignal outboxSignal,
    InboxSignal signal,
    ISendEndpointProvider sendEndpoints,
    AuditLog audit,
    TimeProvider time,
    IOptions<OutboxOptions> outbox,
    DeliveryQueue queues,
    NodeIdentity identity,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ProcessAsync(await store.ListUnprocessedAsync(50, stoppingToken), stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogProcessingFailed(logger, exception);
            }

            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Acts first, then announces: erasure never waits for the broker, and each event is published at least once, only
    /// for a message already acted on. Messages that need only their mark are settled together; the rest one by one,
    /// in the order received. A failure while acting on one message stops the rest of the poll (retried at the next),
    /// but the events of the messages settled before it still go out.
    /// </summary>
    private async Task ProcessAsync(IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var unsettled = messages.Where(message => message.ProcessedAt is null).ToList();
        var settled = new HashSet<Guid>(await store.SettlePlainAsync([.. unsettled.Select(message => message.MessageId)], now, cancellationToken));
        try
        {
            foreach (var message in unsettled.Where(message => !settled.Contains(message.MessageId)))
            {
                await ActAsync(message, now, cancellationToken);
                settled.Add(message.MessageId);
            }
        }
        finally
        {
            await PublishAsync([.. messages.Where(message => message.PublishedAt is null && (message.ProcessedAt is not null || settled.Contains(message.MessageId)))], cancellationToken);
        }
    }

    /// <summary>In the order received; what was sent is marked even when a later send fails (the rest go at the next poll).</summary>
    private async Task PublishAsync(IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        var published = new List<Guid>();
        try
        {
            foreach (var message in messages)
            {
                await BrokerSend.SendAsync(
                    sendEndpoints,
                    queues.EventsAddress,
                    new MessageReceived
                    {
                        Node = identity.NodeId,
                        MessageId = message.MessageId,
                        MessageType = message.MessageType,
                        From = message.SenderId,
                        ConversationId = message.ConversationId,
                        InReplyTo = message.InReplyTo,
                        Purpose = message.Purpose,
                        ReceivedAt = message.ReceivedAt,
                    },
                    outbox.Value.BrokerSendTimeout,
                    cancellationToken);
                published.Add(message.MessageId);
            }
        }
        finally
        {
            await store.MarkPublishedAsync(published, time.GetUtcNow(), CancellationToken.None);
        }
    }

    private async Task ActAsync(InboundMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (message.MessageType)
        {
            case MessageTypes.ConsentWithdrawn:
                await EraseAndConfirmAsync(message, now, cancellationToken);
                break;
            case MessageTypes.ErasureConfirmed:
                // Claim first: with two replicas only the one that settles the message records the confirmation.
                if (await store.CompleteAsync(message.MessageId, now, cancellationToken)
                    && message.InReplyTo is { } request && await consents.ConfirmErasureAsync(message.SenderId, request, message.MessageId, now, cancellationToken))
                {
                    await audit.RecordAsync(message.SenderId, AuditActions.ErasureConfirmed, message.MessageId, message.SenderId, message.ConversationId, new { Request = request }, cancellationToken);
                }

                break;
            default:
                await store.CompleteAsync(message.MessageId, now, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// A partner withdrew the person's consent: the case is erased here — its data key destroyed with the key-encryption
    /// key of this epoch (DESIGN §15) — and ErasureConfirmed is stored in that same transaction, held back
    /// (<see cref="ConfirmationHold"/>) until the old key-encryption key is gone from its file and, on SQLite, the WAL is
    /// truncated; then it is released. So it never leaves while a copy of the key could still open the case. After a
    /// crash in between, it leaves when the hold ends. A case already erased (a second ConsentWithdrawn) is only confirmed.
    /// </summary>
    private async Task EraseAndConfirmAsync(InboundMessage withdrawal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var caseId = withdrawal.ConversationId;
        var erasable = await store.CountErasableAsync(caseId, cancellationToken);
        var body = new Dictionary<string, object?>
        {
            ["erasedAt"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["erasedMessageCount"] = erasable,
            ["retained"] = new[] { "Metadata", "AuditLog" },
        };
        var result = await composer.ComposeAsync(
            new ComposeRequest
            {
                Recipient = withdrawal.SenderId,
                MessageType = MessageTypes.ErasureConfirmed,
                Body = JsonSerializer.SerializeToElement(body, GatewayJson.Options),
                ConversationId = caseId,
                InReplyTo = withdrawal.MessageId,
                Purpose = MessagePurposes.Erasure,
            },
            seal: true,
            cancellationToken);

        // Erase even if the confirmation cannot be composed: the person's withdrawal does not wait for paperwork.
        var settled = false;
        Guid? held = null;
        try
        {
            await keys.EraseAsync([caseId], async scope =>
            {
                var transaction = scope.Transaction;
                if (!await InboxStore.MarkProcessedAsync(transaction, withdrawal.MessageId, now, cancellationToken))
                {
                    throw new AlreadySettledException(); // another replica erased and answered: nothing of this transaction stays
                }

                var cancelled = await SentMessageStore.UndeliveredInCaseAsync(transaction, caseId, cancellationToken);
                await transaction.ExecuteAllAsync([
                    .. cancelled.SelectMany(message => new[]
                    {
                        SentMessageStore.Transition(message, now, DeliveryState.Cancelled, ErasureReasons.ConsentWithdrawn),
                        OutboxStore.Remove(message),
                    }),
                    InboxStore.EraseCase(caseId, ErasureReasons.ConsentWithdrawn, now),
                    .. SentMessageStore.EraseCase(caseId, ErasureReasons.ConsentWithdrawn, now),
                    CaseStore.MarkErased(caseId, ErasureReasons.ConsentWithdrawn, now),
                ], cancellationToken);
                transaction.Attach(audit.Line(AuditLog.System, AuditActions.ContentErased, withdrawal.MessageId, withdrawal.SenderId, caseId,
                    new { Reason = ErasureReasons.ConsentWithdrawn, Erased = erasable }));
                if (result.Message is { } composed)
                {
                    var reply = sender.ToOutbound(composed, AuditLog.System, idempotencyKey: null, await scope.NewKeyAsync(caseId)) with { NextAttemptAt = now + ConfirmationHold };
                    held = reply.MessageId;
                    var submission = sender.Submission(reply, AuditLog.System);
                    await transaction.ExecuteAllAsync(submission.Statements, cancellationToken);
                    transaction.AttachAll(submission.Attachments);
                }
            }, cancellationToken);
            settled = true;
        }
        catch (AlreadySettledException)
        {
            return;
        }

        if (settled && held is { } confirmation)
        {
            var released = time.GetUtcNow();
            await database.ExecuteInTransactionAsync([SentMessageStore.DueAt(confirmation, released), OutboxStore.Reschedule(confirmation, released)], cancellationToken);
            outboxSignal.Notify();
        }
        else
        {
            LogConfirmationRefused(logger, withdrawal.MessageId, result.Refusal!.Code);
        }
    }

    /// <summary>How long an ErasureConfirmed waits, at most, for its erasure to complete (released as soon as it has).</summary>
    internal static readonly TimeSpan ConfirmationHold = TimeSpan.FromMinutes(2);

    /// <summary>Rolls back an erasure whose withdrawal another processor settled meanwhile.</summary>
    private sealed class AlreadySettledException : Exception;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox processing failed; unprocessed messages are retried")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Erased for withdrawal {MessageId}, but ErasureConfirmed could not be composed: {Code}")]
    private static partial void LogConfirmationRefused(ILogger logger, Guid messageId, string code);
}
