using System.Diagnostics;
using Gateway.Testing.Nodes;
using Gateway.Testing.Services;
using Gateway.Tests.Federation;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Faults;

/// <summary>
/// "Delivery you can trust": gateway nodes as separate OS processes on a real RabbitMQ and PostgreSQL, a batch of 1,000
/// referrals per scenario, and a fault in the middle of it. Every referral the sending node accepted (202) must be
/// delivered exactly once into the receiver's store with a receipt that verifies, whatever broke and came back.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Fault")]
public sealed class FaultInjectionTests(RabbitMqFixture rabbit, PostgresFixture postgres, FaultResultsFile results, ITestOutputHelper output)
{
    private const int Referrals = 1000;

    /// <summary>The fault comes once this many referrals are accepted (40 %), while deliveries are in full flow.</summary>
    private const int FaultAfter = 400;

    private const string Sender = FaultFederation.Sender;
    private const string Receiver = FaultFederation.Receiver;

    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Sending_node_killed_mid_batch_and_restarted_delivers_every_accepted_referral_exactly_once()
    {
        var clock = Stopwatch.StartNew();
        await using var federation = await SingleBrokerAsync("sender-killed");
        var receiver = federation.AddProcess(Receiver);
        var sender = federation.AddProcess(Sender);
        await Task.WhenAll(receiver.StartAsync(Ready), sender.StartAsync(Ready));

        await RunAsync(federation, [sender], clock, async timeline =>
        {
            await sender.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await sender.StartAsync(Ready);
            timeline.Healed();
        });
    }

    [Fact]
    public async Task Receiving_node_killed_mid_batch_and_restarted_stores_every_accepted_referral_exactly_once()
    {
        var clock = Stopwatch.StartNew();
        await using var federation = await SingleBrokerAsync("receiver-killed");
        var receiver = federation.AddProcess(Receiver);
        var sender = federation.AddProcess(Sender);
        await Task.WhenAll(receiver.StartAsync(Ready), sender.StartAsync(Ready));

        await RunAsync(federation, [sender], clock, async timeline =>
        {
            await receiver.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(5));
            await receiver.StartAsync(Ready);
            timeline.Healed();
        });
    }

    [Fact]
    public async Task RabbitMQ_stopped_for_30_seconds_mid_batch_delays_deliveries_but_loses_and_duplicates_none()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await using var federation = await SingleBrokerAsync("rabbitmq-stopped");
            var receiver = federation.AddProcess(Receiver);

            // One delivery at a time, so the batch is still being delivered when the broker goes away.
            var sender = federation.AddProcess(Sender, settings: new Dictionary<string, string?> { ["Gateway__Delivery__Concurrency"] = "1" });
            await Task.WhenAll(receiver.StartAsync(Ready), sender.StartAsync(Ready));

            var extra = new Dictionary<string, double>();
            await RunAsync(federation, [sender], clock, async timeline =>
            {
                var stop = Stopwatch.StartNew();
                await LocalServices.RequireAsync("rabbitmq.sh", TimeSpan.FromSeconds(120), "stop");
                extra["brokerStopSeconds"] = Seconds(stop.Elapsed);
                await Task.Delay(TimeSpan.FromSeconds(30));
                var start = Stopwatch.StartNew();
                await LocalServices.RequireAsync("rabbitmq.sh", TimeSpan.FromSeconds(180), "start");
                await LocalServices.WaitForPortAsync(rabbit.BrokerUri.Host, rabbit.BrokerUri.Port, TimeSpan.FromSeconds(60));
                extra["brokerStartSeconds"] = Seconds(start.Elapsed);
                timeline.Healed();
            }, extra);
        }
        finally
        {
            await LocalServices.EnsureRunningAsync("rabbitmq.sh");
        }
    }

    [Fact]
    public async Task PostgreSQL_restarted_mid_batch_loses_and_duplicates_no_referral()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await using var federation = await SingleBrokerAsync("postgres-restarted");
            var receiver = federation.AddProcess(Receiver);
            var sender = federation.AddProcess(Sender);
            await Task.WhenAll(receiver.StartAsync(Ready), sender.StartAsync(Ready));

            var extra = new Dictionary<string, double>();
            await RunAsync(federation, [sender], clock, async timeline =>
            {
                var stop = Stopwatch.StartNew();
                await LocalServices.RequireAsync("postgres.sh", TimeSpan.FromSeconds(120), "stop");
                extra["databaseStopSeconds"] = Seconds(stop.Elapsed);
                await Task.Delay(TimeSpan.FromSeconds(5));
                var start = Stopwatch.StartNew();
                await LocalServices.RequireAsync("postgres.sh", TimeSpan.FromSeconds(120), "start");
                await LocalServices.WaitForPortAsync("127.0.0.1", new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString).Port, TimeSpan.FromSeconds(60));
                extra["databaseStartSeconds"] = Seconds(start.Elapsed);
                timeline.Healed();
            }, extra);
        }
        finally
        {
            await LocalServices.EnsureRunningAsync("postgres.sh");
        }
    }

    [Fact]
    public async Task Receiving_peer_unreachable_for_15_seconds_mid_batch_gets_every_referral_once_when_it_is_back()
    {
        var clock = Stopwatch.StartNew();
        await using var federation = await SingleBrokerAsync("peer-unreachable");
        await using var proxy = TcpFaultProxy.Start(federation.PeerPortOf(Receiver));
        federation.RouteThrough(Sender, Receiver, proxy.Port);
        var receiver = federation.AddProcess(Receiver);
        var sender = federation.AddProcess(Sender);
        await Task.WhenAll(receiver.StartAsync(Ready), sender.StartAsync(Ready));

        await RunAsync(federation, [sender], clock, async timeline =>
        {
            await proxy.RefuseAsync();
            await Task.Delay(TimeSpan.FromSeconds(15));
            proxy.Open();
            timeline.Healed();
        });
    }

    [Fact]
    public async Task RabbitMQ_cluster_node_killed_mid_batch_fails_over_to_the_other_nodes_losing_and_duplicating_nothing()
    {
        var clock = Stopwatch.StartNew();
        const string Cluster = "rabbitmq-cluster.sh";
        var extra = new Dictionary<string, double>();
        var startedCluster = false;
        if ((await LocalServices.RunAsync(Cluster, TimeSpan.FromSeconds(60), "status")).ExitCode != 0)
        {
            var start = Stopwatch.StartNew();
            await LocalServices.RequireAsync(Cluster, TimeSpan.FromSeconds(300), "start");
            extra["clusterStartSeconds"] = Seconds(start.Elapsed);
            startedCluster = true;
        }

        try
        {
            var environment = await LocalServices.EnvironmentOfAsync(Cluster);
            var broker = new Uri(environment["RABBITMQ_URI"]);
            var nodes = environment["RABBITMQ_CLUSTER_NODES"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            await using var federation = await FaultFederation.CreateAsync("rabbitmq-cluster-node-killed", broker, nodes, postgres.ConnectionString, output.WriteLine);
            var receiver = federation.AddProcess(Receiver);
            var sender = federation.AddProcess(Sender);
            var restarted = false;
            try
            {
                await Task.WhenAll(receiver.StartAsync(Ready), sender.StartAsync(Ready));

                // Node 1 is the one both gateways connect to first (RABBITMQ_URI); it stays down until the batch is verified.
                await RunAsync(federation, [sender], clock, async _ =>
                    await LocalServices.RequireAsync(Cluster, TimeSpan.FromSeconds(60), "kill-node", "1"), extra, afterDelivery: async () =>
                    {
                        var restart = Stopwatch.StartNew();
                        await LocalServices.RequireAsync(Cluster, TimeSpan.FromSeconds(300), "start-node", "1");
                        extra["brokerNodeRestartSeconds"] = Seconds(restart.Elapsed);
                        restarted = true;
                    });
            }
            finally
            {
                if (!restarted)
                {
                    await LocalServices.RequireAsync(Cluster, TimeSpan.FromSeconds(300), "start-node", "1");
                }
            }
        }
        finally
        {
            if (startedCluster)
            {
                await LocalServices.RequireAsync(Cluster, TimeSpan.FromSeconds(300), "stop");
            }
        }
    }

    [Fact]
    public async Task One_of_two_processes_serving_the_sending_node_killed_mid_batch_the_other_delivers_everything_exactly_once()
    {
        var clock = Stopwatch.StartNew();
        await using var federation = await SingleBrokerAsync("scaled-out-sender-killed");
        var receiver = federation.AddProcess(Receiver);
        var first = federation.AddProcess(Sender, "EE-SKA-a");
        var second = federation.AddProcess(Sender, "EE-SKA-b", peerPort: federation.BasePort + 4, internalPort: federation.BasePort + 5);
        await Task.WhenAll(receiver.StartAsync(Ready), first.StartAsync(Ready));

        // Only once the first has created the node's content key, which both share.
        await second.StartAsync(Ready);

        // The killed process stays dead: what it had claimed must be taken over by the other through the leases.
        await RunAsync(federation, [first, second], clock, async _ => await first.KillAsync());
    }

    private Task<FaultFederation> SingleBrokerAsync(string scenario) =>
        FaultFederation.CreateAsync(scenario, rabbit.BrokerUri, [], postgres.ConnectionString, output.WriteLine);

    /// <summary>Sends the batch with the fault in the middle, waits until delivery settles, verifies, records the numbers, then asserts.</summary>
    /// <param name="afterDelivery">Runs once delivery is verified, before the numbers are written (e.g. bringing a broker node back).</param>
    private async Task RunAsync(
        FaultFederation federation, GatewayNodeProcess[] senders, Stopwatch clock, Func<FaultTimeline, Task> fault, Dictionary<string, double>? extra = null, Func<Task>? afterDelivery = null)
    {
        using var client = new CaseworkerClient(federation.Pki, Sender, [.. senders.Select(process => process.InternalPort)]);
        var consentId = await client.RecordConsentAsync([Receiver], ["Identity", "Needs"]);
        var timeline = new FaultTimeline();

        var batch = await ReferralBatch.SendAsync(client, consentId, federation.Scenario, Referrals, FaultAfter, timeline, () => fault(timeline));
        await DeliveryCheck.WaitUntilSettledAsync(federation, batch.Accepted.Count, SettleDeadline);
        var report = await DeliveryCheck.VerifyAsync(federation, batch);
        var scenarioTime = clock.Elapsed;
        if (afterDelivery is not null)
        {
            await afterDelivery();
        }

        var recovery = report.LastDeliveredAt is { } last ? last - timeline.RecoveryStart : SettleDeadline;
        var line = results.Append(new FaultResult
        {
            Scenario = federation.Scenario,
            At = DateTimeOffset.UtcNow,
            Referrals = Referrals,
            Accepted = report.Accepted,
            SenderMessages = report.SenderMessages,
            Delivered = report.Delivered,
            ReceiptsVerified = report.ReceiptsVerified,
            ReceiverMessages = report.ReceiverMessages,
            Lost = report.Lost,
            Duplicated = report.Duplicated,
            AuditLinesMissing = report.AuditLinesMissing,
            AcceptSeconds = Seconds(batch.AcceptDuration),
            FaultAtAccepted = timeline.AcceptedAtInjection,
            OutageSeconds = timeline.Outage is { } outage ? Seconds(outage) : null,
            RecoverySeconds = Seconds(recovery < TimeSpan.Zero ? TimeSpan.Zero : recovery),
            AttemptsTotal = report.AttemptsTotal,
            MessagesRetried = report.MessagesRetried,
            ClientRetries = batch.ClientRetries,
            ScenarioSeconds = Seconds(scenarioTime),
            Extra = extra ?? [],
        });
        output.WriteLine(line);
        output.WriteLine($"process logs: {federation.LogDirectory}");
        if (report.Problems.Count > 0)
        {
            // The logs stay on the CI machine; the warnings of the gateway's own components travel with the failure.
            foreach (var file in Directory.EnumerateFiles(federation.LogDirectory, "*.log"))
            {
                foreach (var warning in File.ReadLines(file).Where(text => text.Contains(" warn: Gateway.", StringComparison.Ordinal) || text.Contains(" fail: Gateway.", StringComparison.Ordinal)).Take(20))
                {
                    output.WriteLine($"{Path.GetFileName(file)}: {(warning.Length > 400 ? warning[..400] : warning)}");
                }
            }
        }

        Assert.True(report.Problems.Count == 0, $"{federation.Scenario}: {report.Summary}\n{string.Join('\n', report.Problems)}");
        Assert.Equal(Referrals, report.Accepted);
        Assert.Equal(Referrals, report.SenderMessages);
        Assert.Equal(Referrals, report.Delivered);
        Assert.Equal(Referrals, report.ReceiptsVerified);
        Assert.Equal(Referrals, report.ReceiverMessages);
    }

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 2);
}
