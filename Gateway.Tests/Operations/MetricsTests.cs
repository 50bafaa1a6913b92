using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Gateway.Service.Delivery;
using Gateway.Service.Persistence;
using Gateway.Tests.Federation;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Operations;

/// <summary>After a scripted batch, the Prometheus endpoint shows what happened, with the right values (DESIGN §10).</summary>
[Trait("Category", "Integration")]
public sealed partial class MetricsTests
{
    [Fact]
    public async Task After_a_batch_the_Prometheus_endpoint_shows_deliveries_latency_queue_circuit_and_certificate_expiry()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE");
        var options = federation.OptionsFor("EE-SKA");
        options.Delivery.Peers["LV-NGO-SAFEHOUSE"] = new PeerDeliveryOverrides { TimeToLive = TimeSpan.FromSeconds(1) };
        var sender = await federation.StartAsync(options);
        await federation.StartAsync(federation.OptionsFor("FI-NRM"));

        // Five delivered to FI-NRM; one to the shelter, which is not running, fails when its time-to-live runs out.
        for (var i = 0; i < 5; i++)
        {
            var sent = await sender.ConsultAsync("FI-NRM");
            await sender.WaitForStateAsync(sent.MessageId, DeliveryState.Delivered, TimeSpan.FromSeconds(30));
        }

        var failed = await sender.ConsultAsync("LV-NGO-SAFEHOUSE");
        await sender.WaitForStateAsync(failed.MessageId, DeliveryState.Failed, TimeSpan.FromSeconds(30));
        await Task.Delay(Gateway.Service.Operations.QueueSnapshotJob.Interval * 2); // the queue gauges read a snapshot

        using var response = await sender.ApiAs("operator").GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        using var anonymous = await sender.ApiWith(null).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(5, Value(text, "gateway_deliveries_total", ("peer", "FI-NRM"), ("outcome", "Delivered")));
        Assert.Equal(1, Value(text, "gateway_deliveries_total", ("peer", "LV-NGO-SAFEHOUSE"), ("outcome", "Failed")));
        Assert.Equal(5, Value(text, "gateway_delivery_latency_seconds_count", ("peer", "FI-NRM")));
        Assert.InRange(Value(text, "gateway_delivery_latency_seconds_sum", ("peer", "FI-NRM")), 0.0001, 5 * 30);
        Assert.Equal(1, Value(text, "gateway_queue_messages", ("peer", "LV-NGO-SAFEHOUSE"), ("state", "Failed")));
        Assert.Equal(0, Value(text, "gateway_queue_messages", ("peer", "FI-NRM"), ("state", "Queued")));
        Assert.Equal(0, Value(text, "gateway_circuit_state", ("peer", "FI-NRM")));
        var days = Value(text, "gateway_certificate_days_left_days", ("owner", "FI-NRM"), ("role", "tls"));
        Assert.InRange(days, 364, 366); // dev leaves live one year
        Assert.DoesNotContain(failed.MessageId.ToString(), text);
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include all of <paramref name="labels"/>.</summary>
    private static double Value(string exposition, string metric, params (string Name, string Value)[] labels)
    {
        var samples = exposition.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(match => match.Success && match.Groups["name"].Value == metric)
            .Where(match => labels.All(label => match.Groups["labels"].Value.Contains($"{label.Name}=\"{label.Value}\"", StringComparison.Ordinal)))
            .ToList();
        Assert.True(samples.Count == 1, $"expected one sample of {metric} with {string.Join(",", labels)}, found {samples.Count} in:\n{string.Join('\n', exposition.Split('\n').Where(line => line.StartsWith(metric, StringComparison.Ordinal)))}");
        return double.Parse(samples[0].Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>[-+0-9.eEInfa]+)")]
    private static partial Regex Sample();
}
