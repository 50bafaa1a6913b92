using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Gateway.Tests.Federation;

namespace Gateway.Tests.Faults;

/// <summary>
/// Sends a batch of synthetic referrals with modest parallelism, each under an idempotency key of its own, and starts
/// the scenario's fault once a share of them is accepted. Sending goes on through the fault (retrying) until every
/// referral is accepted; the batch ends when the fault has been healed too.
/// </summary>
internal static class ReferralBatch
{
    private const int Parallelism = 8;

    private static readonly TimeSpan ReferralDeadline = TimeSpan.FromSeconds(150);

    public static async Task<BatchOutcome> SendAsync(
        CaseworkerClient client, Guid consentId, string scenario, int count, int faultAfter, FaultTimeline timeline, Func<Task> fault)
    {
        var accepted = new ConcurrentDictionary<string, Guid>();
        var gate = new Lock();
        using var abort = new CancellationTokenSource();
        Task? faulting = null;
        var clock = Stopwatch.StartNew();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = abort.Token }, async (i, token) =>
            {
                var key = $"fault-{scenario}-{i}";
                accepted[key] = await client.SendUntilAcceptedAsync(i, key, Body(consentId, i), ReferralDeadline, token);
                if (accepted.Count >= faultAfter && faulting is null)
                {
                    lock (gate)
                    {
                        if (faulting is null)
                        {
                            timeline.Injected(accepted.Count);
                            faulting = Task.Run(fault);

                            // A fault that cannot be injected or healed stops the batch at once instead of at the deadline.
                            _ = faulting.ContinueWith(_ => abort.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                        }
                    }
                }
            });
        }
        catch (OperationCanceledException) when (faulting is { IsFaulted: true })
        {
            // The fault's own exception below says what went wrong.
        }

        var acceptDuration = clock.Elapsed;
        if (faulting is null)
        {
            throw new InvalidOperationException($"the fault was never injected: only {accepted.Count} of {count} referrals were accepted");
        }

        await faulting;
        return new BatchOutcome(accepted, acceptDuration, client.Retries);
    }

    private static byte[] Body(Guid consentId, int i) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        recipient = FaultFederation.Receiver,
        messageType = "ReferralRequest",
        legalBasis = "Consent",
        consentId,
        body = new
        {
            prs_FirstName = $"SYNTHETIC-{i}",
            spl_Type = new[] { "SocialCare" },
            cas_OutgoingReferralDate = "2030-03-01",
        },
    }, GatewayNode.ApiJson);
}
