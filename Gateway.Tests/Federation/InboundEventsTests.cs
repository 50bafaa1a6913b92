using System.Text;
using System.Text.Json;
using Gateway.Service.Persistence;
using Gateway.Tests.Infrastructure;
using RabbitMQ.Client;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Federation;

/// <summary>
/// Received messages are published to RabbitMQ for the contact point's case-management system (DESIGN §8.5): a
/// consumer bound to the node's events exchange gets a MessageReceived with ids and type, never the content.
/// </summary>
[Collection(BrokerAndDatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InboundEventsTests(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    [Fact]
    public async Task A_received_referral_is_published_as_MessageReceived_without_its_content()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var senderOptions = await federation.OptionsWithBrokerAndDatabaseAsync("EE-SKA", rabbit.BrokerUri.ToString(), postgres.ConnectionString);
        var receiverOptions = await federation.OptionsWithBrokerAndDatabaseAsync("FI-NRM", rabbit.BrokerUri.ToString(), postgres.ConnectionString);
        var exchange = $"{receiverOptions.Bus.QueuePrefix}.FI-NRM.events";

        // The case-management system's side: its own queue bound to the node's events exchange.
        var factory = new ConnectionFactory { Uri = rabbit.BrokerUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        var queue = await channel.QueueDeclareAsync();
        await channel.QueueBindAsync(queue.QueueName, exchange, string.Empty);

        var sender = await federation.StartAsync(senderOptions);
        await federation.StartAsync(receiverOptions);
        var consent = await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"]);
        var referral = await sender.ReferAsync("FI-NRM", consent, new { prs_FirstName = "SYNTHETIC-Anna", cas_OutgoingReferralDate = "2030-03-01" });
        await sender.WaitForStateAsync(referral.MessageId, DeliveryState.Delivered, TimeSpan.FromSeconds(30));

        var delivered = await GetAsync(channel, queue.QueueName, TimeSpan.FromSeconds(30));
        var text = Encoding.UTF8.GetString(delivered.Body.Span);
        using var json = JsonDocument.Parse(text);
        var message = json.RootElement.GetProperty("message");

        Assert.Equal(referral.MessageId, message.GetProperty("messageId").GetGuid());
        Assert.Equal("ReferralRequest", message.GetProperty("messageType").GetString());
        Assert.Equal("EE-SKA", message.GetProperty("from").GetString());
        Assert.Equal("FI-NRM", message.GetProperty("node").GetString());
        Assert.Equal(referral.ConversationId, message.GetProperty("conversationId").GetString());
        Assert.DoesNotContain("SYNTHETIC-Anna", text);
    }

    private static async Task<BasicGetResult> GetAsync(IChannel channel, string queue, TimeSpan deadline)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
            {
                return result;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no event arrived on {queue} within {deadline}");
    }
}
