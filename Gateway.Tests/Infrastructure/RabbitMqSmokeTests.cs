using MassTransit;

namespace Gateway.Tests.Infrastructure;

[Collection(RabbitMqCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RabbitMqSmokeTests(RabbitMqFixture broker)
{
    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_message_published_through_MassTransit_is_consumed_from_a_quorum_queue()
    {
        var sent = new SmokeMessage(Guid.NewGuid(), "hello from the smoke test");
        var received = new TaskCompletionSource<SmokeMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queueName = $"gateway-smoke-{Guid.NewGuid():N}";

        var bus = Bus.Factory.CreateUsingRabbitMq(configurator =>
        {
            broker.ConfigureHost(configurator);
            configurator.ReceiveEndpoint(queueName, endpoint =>
            {
                endpoint.SetQuorumQueue();
                // The broker drops the uniquely named queue once nobody has used it for a while.
                endpoint.QueueExpiration = TimeSpan.FromMinutes(5);
                endpoint.Handler<SmokeMessage>(context =>
                {
                    // Other runs against the same broker may publish too: only ours completes the test.
                    if (context.Message.Id == sent.Id)
                    {
                        received.TrySetResult(context.Message);
                    }

                    return Task.CompletedTask;
                });
            });
        });

        using var startTimeout = new CancellationTokenSource(ConsumeTimeout);
        await bus.StartAsync(startTimeout.Token);
        try
        {
            await bus.Publish(sent, startTimeout.Token);

            using var waitTimeout = new CancellationTokenSource(ConsumeTimeout);
            var first = await Task.WhenAny(received.Task, Task.Delay(Timeout.InfiniteTimeSpan, waitTimeout.Token));

            Assert.True(first == received.Task, $"The published message was not consumed within {ConsumeTimeout.TotalSeconds} s.");
            Assert.Equal(sent, await received.Task);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
