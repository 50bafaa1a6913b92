using Gateway.Service.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Federation;

/// <summary>
/// A publish that never completes (RabbitMQ.Client 7 after a broker restart, rabbitmq-dotnet-client#1930) must not
/// hold the outbox relay: it times out, and the row is published again after the retry delay, well inside its lease.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RelayPublishTimeoutTests
{
    [Fact]
    public async Task A_send_that_never_completes_is_given_up_and_the_referral_still_goes_out_within_seconds()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("EE-SKA");
        options.Outbox.OutboxLease = TimeSpan.FromMinutes(2);
        options.Outbox.BrokerSendTimeout = TimeSpan.FromSeconds(1);
        options.Outbox.RelayRetryDelay = TimeSpan.FromMilliseconds(500);
        var stalling = new StallingSendEndpoints(stalledCalls: 2);
        var sender = await federation.StartAsync(options, services => services.AddSingleton<ISendEndpointProvider>(provider =>
        {
            stalling.Bus = provider.GetRequiredService<IBus>();
            return stalling;
        }));
        await federation.StartAsync(federation.OptionsFor("FI-NRM"));

        var first = await sender.ConsultAsync("FI-NRM");
        var second = await sender.ConsultAsync("FI-NRM");

        foreach (var id in new[] { first.MessageId, second.MessageId })
        {
            var status = await sender.WaitForStateAsync(id, DeliveryState.Delivered, TimeSpan.FromSeconds(20));
            Assert.True(status.State == DeliveryState.Delivered, $"{id}: {status.State} after 20 s with a 2 min outbox lease");
        }

        Assert.True(stalling.Stalled >= 1, "no send was held, so the test proved nothing");
    }

    /// <summary>The first <paramref name="stalledCalls"/> requests for a send endpoint never complete; the rest go to the bus.</summary>
    private sealed class StallingSendEndpoints(int stalledCalls) : ISendEndpointProvider
    {
        private int _calls;

        public IBus? Bus { get; set; }

        public int Stalled => Math.Min(Volatile.Read(ref _calls), stalledCalls);

        public Task<ISendEndpoint> GetSendEndpoint(Uri address) =>
            Interlocked.Increment(ref _calls) <= stalledCalls
                ? new TaskCompletionSource<ISendEndpoint>().Task
                : Bus!.GetSendEndpoint(address);

        public ConnectHandle ConnectSendObserver(ISendObserver observer) => Bus!.ConnectSendObserver(observer);
    }
}
