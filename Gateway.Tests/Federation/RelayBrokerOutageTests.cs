using Gateway.Service.Persistence;
using Gateway.Tests.Infrastructure;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Federation;

/// <summary>
/// The outbox relay when its broker connection goes away (a CI run once left 218 referrals Queued after a RabbitMQ
/// restart): what it could not publish must be published again soon after the broker is back, not only when the
/// two-minute outbox lease runs out.
/// </summary>
[Collection(BrokerAndDatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RelayBrokerOutageTests(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    private const int Referrals = 12;

    [Fact]
    public Task Referrals_accepted_while_the_broker_is_unreachable_are_delivered_soon_after_it_is_back() =>
        OutageAsync(async broker =>
        {
            await broker.RefuseAsync();
            return async () => broker.Open();
        });

    /// <summary>
    /// The path to the broker drops everything, then the connection is cut: publishes waiting for their confirm may
    /// never complete (RabbitMQ.Client 7, rabbitmq-dotnet-client#1930), and the relay must not wait on them forever.
    /// </summary>
    [Fact]
    public Task Referrals_whose_publish_never_got_a_confirm_are_published_again_once_the_broker_is_back() =>
        OutageAsync(broker =>
        {
            broker.Stalled = true;
            return Task.FromResult<Func<Task>>(async () =>
            {
                await broker.RefuseAsync();
                broker.Stalled = false;
                await Task.Delay(TimeSpan.FromSeconds(2));
                broker.Open();
            });
        });

    /// <param name="outage">Breaks the sender's path to the broker; returns what heals it.</param>
    private async Task OutageAsync(Func<TcpFaultProxy, Task<Func<Task>>> outage)
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        await using var broker = TcpFaultProxy.Start(rabbit.BrokerUri.Port);
        var senderOptions = await federation.OptionsWithBrokerAndDatabaseAsync("EE-SKA", ThroughProxy(broker.Port), postgres.ConnectionString);

        // The production default: the point is recovery well inside the lease.
        senderOptions.Outbox.OutboxLease = TimeSpan.FromMinutes(2);
        var sender = await federation.StartAsync(senderOptions);
        var receiver = await federation.StartAsync(await federation.OptionsWithBrokerAndDatabaseAsync("FI-NRM", rabbit.BrokerUri.ToString(), postgres.ConnectionString));

        var warm = await sender.ConsultAsync("FI-NRM");
        Assert.Equal(DeliveryState.Delivered, (await sender.WaitForStateAsync(warm.MessageId, DeliveryState.Delivered, TimeSpan.FromSeconds(30))).State);
        var consent = await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"]);

        var heal = await outage(broker);
        var ids = new List<Guid>();
        for (var i = 0; i < Referrals; i++)
        {
            ids.Add((await sender.ReferAsync("FI-NRM", consent, new { prs_FirstName = $"SYNTHETIC-{i}", spl_Type = new[] { "SocialCare" }, cas_OutgoingReferralDate = "2030-03-01" })).MessageId);
        }

        // Long enough for the relay to lease the rows and try to publish them.
        await Task.Delay(TimeSpan.FromSeconds(8));
        foreach (var id in ids)
        {
            Assert.NotEqual(DeliveryState.Delivered, (await sender.StatusAsync(id)).State);
        }

        await heal();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var states = new Dictionary<Guid, DeliveryState>();
        do
        {
            await Task.Delay(250);
            foreach (var id in ids)
            {
                states[id] = (await sender.StatusAsync(id)).State;
            }
        }
        while (states.Values.Any(state => state != DeliveryState.Delivered) && clock.Elapsed < TimeSpan.FromSeconds(75));

        Assert.True(
            states.Values.All(state => state == DeliveryState.Delivered),
            $"not delivered {clock.Elapsed.TotalSeconds:F0} s after the broker came back: " +
            string.Join(", ", states.Where(pair => pair.Value != DeliveryState.Delivered).Select(pair => $"{pair.Key} {pair.Value}")));
        Assert.Equal(Referrals + 1, await receiver.Stores.Inbox.CountAsync(CancellationToken.None));
    }

    private string ThroughProxy(int port) => new UriBuilder(rabbit.BrokerUri) { Host = "127.0.0.1", Port = port }.Uri.ToString();
}
