using Gateway.Service.Audit;
using Gateway.Service.Delivery;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Federation;

/// <summary>
/// Delivery you can trust (DESIGN §8.3–8.4) with real hosts and a misbehaving network in between
/// (<see cref="TcpFaultProxy"/>): a hanging peer holds only its own queue, and an attempt whose outcome the sender
/// never learned is repeated with the same message id and counted once by the receiver.
/// </summary>
[Trait("Category", "Integration")]
public sealed class IsolationTests
{
    /// <summary>
    /// The bound on accept → receipt for a healthy peer while another peer hangs: a healthy delivery here takes tens
    /// of milliseconds; two seconds leaves room for a loaded two-core CI machine and is far below the 10 s attempt
    /// timeout that every hung attempt holds its consumer for.
    /// </summary>
    private static readonly TimeSpan HealthyPeerBound = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task With_one_peer_hanging_deliveries_to_a_healthy_peer_stay_within_two_seconds()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE");
        await using var hanging = TcpFaultProxy.Start(federation.PeerPortOf("FI-NRM"));
        hanging.Hang = true;
        federation.RouteThrough("EE-SKA", "FI-NRM", hanging.Port);
        var options = federation.OptionsFor("EE-SKA");
        options.Delivery.AttemptTimeout = TimeSpan.FromSeconds(10);
        var sender = await federation.StartAsync(options);
        await federation.StartAsync(federation.OptionsFor("LV-NGO-SAFEHOUSE"));

        // More than every consumer the node has: with one shared queue these would take all of them.
        var stuck = new List<Guid>();
        for (var i = 0; i < 3 * options.Delivery.Concurrency; i++)
        {
            stuck.Add((await sender.ConsultAsync("FI-NRM")).MessageId);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var healthy = await sender.ConsultAsync("LV-NGO-SAFEHOUSE");
            var status = await sender.WaitForStateAsync(healthy.MessageId, DeliveryState.Delivered, Deadline);
            Assert.Equal(DeliveryState.Delivered, status.State);
            latencies.Add(status.DeliveredAt!.Value - status.CreatedAt);
        }

        Assert.True(latencies.Max() < HealthyPeerBound, $"slowest healthy delivery took {latencies.Max().TotalMilliseconds:0} ms; all: {string.Join(", ", latencies.Select(latency => $"{latency.TotalMilliseconds:0}"))}");
        Assert.True(hanging.Connections > 0, "the hanging peer was never tried");
        Assert.All(stuck, id => Assert.NotEqual(DeliveryState.Delivered, sender.StatusAsync(id).GetAwaiter().GetResult().State));
    }

    [Fact]
    public async Task An_attempt_that_timed_out_after_the_peer_stored_the_message_is_retried_with_the_same_id_and_counted_once()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        await using var slow = TcpFaultProxy.Start(federation.PeerPortOf("FI-NRM"));
        slow.ResponseDelay = TimeSpan.FromSeconds(4);
        slow.DelayedConnections = 1;
        federation.RouteThrough("EE-SKA", "FI-NRM", slow.Port);
        var options = federation.OptionsFor("EE-SKA");
        options.Delivery.Peers["FI-NRM"] = new PeerDeliveryOverrides { AttemptTimeout = TimeSpan.FromSeconds(1) };
        var sender = await federation.StartAsync(options);
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));

        var accepted = await sender.ConsultAsync("FI-NRM", "SYNTHETIC question long enough to travel in a record of its own: " + new string('x', 1500));
        var status = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);

        Assert.Equal(DeliveryState.Delivered, status.State);
        Assert.Equal(["TIMEOUT", null], status.Attempts.Select(attempt => attempt.ErrorCode));
        Assert.Equal(1, await receiver.Stores.Inbox.CountAsync(CancellationToken.None));
        Assert.Single(await receiver.Stores.Audit.ListAsync(AuditActions.MessageReceived, 10, CancellationToken.None));
    }
}
