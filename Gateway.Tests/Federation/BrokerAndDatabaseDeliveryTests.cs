using Gateway.Contracts.Envelopes;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Receipts;
using Gateway.Service.Persistence;
using Gateway.Tests.Infrastructure;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Federation;

/// <summary>Two nodes as separate hosts on a real RabbitMQ (quorum queues, publisher confirms) and real PostgreSQL.</summary>
[Collection(BrokerAndDatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BrokerAndDatabaseDeliveryTests(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    private const int Referrals = 500;

    [Fact]
    public async Task Five_hundred_referrals_are_all_delivered_once_with_verified_receipts_and_a_repost_returns_the_identical_receipt()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(await federation.OptionsWithBrokerAndDatabaseAsync("EE-SKA", rabbit.BrokerUri.ToString(), postgres.ConnectionString));
        var receiver = await federation.StartAsync(await federation.OptionsWithBrokerAndDatabaseAsync("FI-NRM", rabbit.BrokerUri.ToString(), postgres.ConnectionString));

        var consent = await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"]);
        var ids = new List<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Referrals), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var accepted = await sender.ReferAsync("FI-NRM", consent, new { prs_FirstName = $"SYNTHETIC-{i}", spl_Type = new[] { "SocialCare" }, cas_OutgoingReferralDate = "2030-03-01" });
            lock (ids)
            {
                ids.Add(accepted.MessageId);
            }
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyDictionary<DeliveryState, int> counts;
        do
        {
            await Task.Delay(200);
            counts = await sender.Stores.Sent.CountByStateAsync(CancellationToken.None);
        }
        while (counts.GetValueOrDefault(DeliveryState.Delivered) < Referrals && clock.Elapsed < TimeSpan.FromMinutes(3));

        Assert.Equal(Referrals, counts.GetValueOrDefault(DeliveryState.Delivered));
        Assert.Equal(Referrals, ids.Distinct().Count());
        Assert.Equal(Referrals, await receiver.Stores.Inbox.CountAsync(CancellationToken.None));

        // Every receipt is the receiver's signature over the digest of exactly the bytes the sender holds.
        var verifier = new ReceiptVerifier(sender.Identity.Peers, new CertificateValidator(TimeProvider.System));
        foreach (var id in ids)
        {
            var message = await sender.Stores.Sent.GetAsync(id, CancellationToken.None);
            var receipt = verifier.Verify(message!.Receipt!, "FI-NRM", id, (await sender.Stores.SentEnvelopeAsync(id, CancellationToken.None))!);
            Assert.Equal(id, receipt.MessageId);
        }

        var delivered = await sender.Stores.Sent.GetAsync(ids[0], CancellationToken.None);
        using var partner = new PeerTlsClient(federation.Dev.Node("EE-SKA").Tls);
        using var repost = await partner.PostAsync(receiver.PeerEndpoint, (await sender.Stores.SentEnvelopeAsync(ids[0], CancellationToken.None))!, ids[0], "EE-SKA", "FI-NRM", MessageTypes.ReferralRequest);
        Assert.Equal(System.Net.HttpStatusCode.OK, repost.StatusCode);
        Assert.Equal(delivered!.Receipt, await repost.Content.ReadAsByteArrayAsync());
        Assert.Equal(Referrals, await receiver.Stores.Inbox.CountAsync(CancellationToken.None));
    }
}
