using System.Net;
using System.Text.Json;
using Gateway.Service.Persistence;
using Gateway.Tests.Infrastructure;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Federation;

/// <summary>Operators see RabbitMQ's side of the delivery queue (DESIGN §10): messages waiting and consumers, per peer queue.</summary>
[Collection(BrokerAndDatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BrokerQueueTests(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    [Fact]
    public async Task The_ops_API_and_the_metrics_show_each_peer_queue_with_its_consumers()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = await federation.OptionsWithBrokerAndDatabaseAsync("EE-SKA", rabbit.BrokerUri.ToString(), postgres.ConnectionString);
        var sender = await federation.StartAsync(options);
        await federation.StartAsync(await federation.OptionsWithBrokerAndDatabaseAsync("FI-NRM", rabbit.BrokerUri.ToString(), postgres.ConnectionString));
        var sent = await sender.ConsultAsync("FI-NRM");
        await sender.WaitForStateAsync(sent.MessageId, DeliveryState.Delivered, TimeSpan.FromSeconds(30));
        var queue = $"{options.Bus.QueuePrefix}.ee-ska.delivery.fi-nrm";

        JsonElement finland = default;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            using var response = await sender.ApiAs("operator").GetAsync("/ops/v1/broker");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var broker = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(broker.GetProperty("configured").GetBoolean());
            finland = broker.GetProperty("queues").EnumerateArray().FirstOrDefault(item => item.GetProperty("queue").GetString() == queue);
            if (finland.ValueKind == JsonValueKind.Object && finland.GetProperty("consumers").GetInt64() > 0)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(JsonValueKind.Object, finland.ValueKind);
        Assert.Equal("FI-NRM", finland.GetProperty("peerId").GetString());
        Assert.True(finland.GetProperty("consumers").GetInt64() >= 1, "the FI-NRM queue has no consumer");
        Assert.Equal(0, finland.GetProperty("messages").GetInt64());
        using var metrics = await sender.ApiAs("operator").GetAsync("/metrics");
        var exposition = await metrics.Content.ReadAsStringAsync();
        Assert.Contains(exposition.Split('\n'), line => line.StartsWith("gateway_broker_queue_consumers{", StringComparison.Ordinal) && line.Contains($"queue=\"{queue}\"", StringComparison.Ordinal));
    }
}
