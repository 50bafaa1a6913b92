using System.Diagnostics;
using System.Text;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Receipts;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Gateway.Testing.Persistence;

namespace Gateway.Tests.Faults;

/// <summary>
/// Proves exactly-once from outside, in both nodes' databases: every accepted message Delivered at the sender with a
/// receipt that verifies against the envelope sent, stored once at the receiver with that same receipt, and audited
/// there as received exactly once; no message beyond those accepted.
/// </summary>
internal static class DeliveryCheck
{
    private const int Max = 100_000;

    private static readonly DeliveryState[] Unsettled = [DeliveryState.Queued, DeliveryState.InFlight, DeliveryState.RetryWaiting];

    /// <summary>Waits (bounded) until the sender has delivered every accepted message, or nothing is left in progress.</summary>
    public static async Task WaitUntilSettledAsync(FaultFederation federation, int accepted, TimeSpan deadline)
    {
        await using var sender = federation.OpenStore(FaultFederation.Sender);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            try
            {
                var counts = await sender.Sent.CountByStateAsync(CancellationToken.None);
                if (counts.GetValueOrDefault(DeliveryState.Delivered) >= accepted || !Unsettled.Any(state => counts.GetValueOrDefault(state) > 0))
                {
                    return;
                }
            }
            catch (Npgsql.NpgsqlException)
            {
                // The database is still coming back.
            }

            await Task.Delay(250);
        }
    }

    public static async Task<DeliveryReport> VerifyAsync(FaultFederation federation, BatchOutcome batch)
    {
        var ids = batch.Accepted.Values.ToHashSet();
        var problems = new List<string>();
        var suspects = new HashSet<Guid>();

        await using var senderStore = federation.OpenStore(FaultFederation.Sender);
        await using var receiverStore = federation.OpenStore(FaultFederation.Receiver);
        var sent = (await senderStore.Sent.ListAsync(Max, CancellationToken.None)).ToDictionary(message => message.MessageId);
        var received = (await receiverStore.Inbox.ListAsync(Max, CancellationToken.None)).ToDictionary(message => message.MessageId);
        var audited = (await receiverStore.Audit.ListAsync("MessageReceived", Max, CancellationToken.None))
            .Where(line => line.MessageId is not null)
            .GroupBy(line => line.MessageId!.Value)
            .ToDictionary(group => group.Key, group => group.Count());

        if (ids.Count != batch.Accepted.Count)
        {
            problems.Add($"{batch.Accepted.Count} idempotency keys were accepted under only {ids.Count} distinct message ids");
        }

        var extraSent = sent.Keys.Where(id => !ids.Contains(id)).ToList();
        if (extraSent.Count > 0)
        {
            problems.Add($"the sender holds {extraSent.Count} message(s) beyond those accepted: {string.Join(", ", extraSent.Take(10))}");
            suspects.UnionWith(extraSent.Take(5));
        }

        var extraReceived = received.Keys.Where(id => !ids.Contains(id)).ToList();
        if (extraReceived.Count > 0)
        {
            problems.Add($"the receiver holds {extraReceived.Count} message(s) that were never accepted: {string.Join(", ", extraReceived.Take(10))}");
            suspects.UnionWith(extraReceived.Take(5));
        }

        var verifier = new ReceiptVerifier(DevPkiLayout.LoadPeers(federation.Pki, FaultFederation.Sender), new CertificateValidator(TimeProvider.System));
        var delivered = 0;
        var verified = 0;
        var lost = 0;
        var missingAudit = 0;
        var duplicated = extraReceived.Count;
        var attempts = 0;
        var retried = 0;
        DateTimeOffset? lastDelivered = null;
        foreach (var (key, id) in batch.Accepted.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!sent.TryGetValue(id, out var message))
            {
                problems.Add($"{key} → {id}: accepted (202) but not in the sender's store");
                suspects.Add(id);
                lost++;
                continue;
            }

            attempts += message.Attempts;
            retried += message.Attempts > 1 ? 1 : 0;
            // Idempotency keys are the person's own (DESIGN §14): stored with the id of the caseworker who sent.
            if (message.IdempotencyKey != $"{DevPeople.IdOf(FaultFederation.Sender, DevPeople.Caseworker)}:{key}")
            {
                problems.Add($"{key} → {id}: stored under idempotency key {message.IdempotencyKey}");
            }

            if (message.State == DeliveryState.Delivered)
            {
                delivered++;
                if (message.DeliveredAt is { } at && (lastDelivered is null || at > lastDelivered))
                {
                    lastDelivered = at;
                }

                if (message.Receipt is not { } signed || await senderStore.SentEnvelopeAsync(id, CancellationToken.None) is not { } envelope)
                {
                    problems.Add($"{id}: Delivered without a receipt or without the envelope sent");
                    suspects.Add(id);
                }
                else
                {
                    try
                    {
                        var receipt = verifier.Verify(signed, FaultFederation.Receiver, id, envelope);
                        verified += receipt.MessageId == id ? 1 : 0;
                    }
                    catch (global::Gateway.Crypto.EnvelopeException exception)
                    {
                        problems.Add($"{id}: receipt does not verify: {exception.Code} {exception.Message}");
                        suspects.Add(id);
                    }
                }
            }
            else
            {
                problems.Add($"{id}: {message.State} after {message.Attempts} attempt(s), last error {message.LastError ?? "none"}");
                suspects.Add(id);
            }

            if (!received.TryGetValue(id, out var inbound))
            {
                problems.Add($"{id}: not in the receiver's store (sender state {message.State}, {message.Attempts} attempt(s))");
                suspects.Add(id);
                lost++;
                continue;
            }

            if (message.Receipt is not null && !message.Receipt.AsSpan().SequenceEqual(inbound.Receipt))
            {
                problems.Add($"{id}: the sender's receipt differs from the one the receiver stored with the message");
                suspects.Add(id);
            }

            switch (audited.GetValueOrDefault(id))
            {
                case 0:
                    problems.Add($"{id}: stored at the receiver without a MessageReceived audit line");
                    suspects.Add(id);
                    missingAudit++;
                    break;
                case > 1 and var lines:
                    problems.Add($"{id}: accepted {lines} times by the receiver (MessageReceived audit lines)");
                    suspects.Add(id);
                    duplicated++;
                    break;
            }
        }

        if (problems.Count > 0)
        {
            problems.Add(await EvidenceAsync(federation, senderStore, suspects.Take(5)));
        }

        return new DeliveryReport
        {
            Accepted = batch.Accepted.Count,
            SenderMessages = sent.Count,
            Delivered = delivered,
            ReceiptsVerified = verified,
            ReceiverMessages = received.Count,
            Lost = lost,
            Duplicated = duplicated,
            AuditLinesMissing = missingAudit,
            AttemptsTotal = attempts,
            MessagesRetried = retried,
            LastDeliveredAt = lastDelivered,
            Problems = problems,
        };
    }

    /// <summary>For each suspect id: its transitions and attempts at the sender and every log line of every process that names it.</summary>
    private static async Task<string> EvidenceAsync(FaultFederation federation, NodeStores sender, IEnumerable<Guid> suspects)
    {
        var evidence = new StringBuilder("evidence:");
        foreach (var id in suspects)
        {
            evidence.Append("\n  ").Append(id).Append(':');
            foreach (var transition in await sender.Sent.ListTransitionsAsync(id, CancellationToken.None))
            {
                evidence.Append("\n    transition ").Append(transition.At.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture))
                    .Append(' ').Append(transition.State).Append(' ').Append(transition.Reason);
            }

            foreach (var attempt in await sender.Delivery.GetAttemptsAsync(id, CancellationToken.None))
            {
                evidence.Append("\n    attempt ").Append(attempt.Attempt).Append(' ').Append(attempt.Outcome)
                    .Append(" http ").Append(attempt.HttpStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-")
                    .Append(' ').Append(attempt.ErrorCode ?? string.Empty);
            }

            foreach (var line in federation.LogLinesWith(id.ToString()).Take(20))
            {
                evidence.Append("\n    log ").Append(line);
            }
        }

        return evidence.ToString();
    }
}
