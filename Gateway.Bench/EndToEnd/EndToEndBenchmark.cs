using System.Globalization;
using Gateway.Bench.Machine;
using Gateway.Bench.Reporting;
using Gateway.Testing.Caseworker;
using Gateway.Testing.Nodes;
using Npgsql;
using RabbitMQ.Client;

namespace Gateway.Bench.EndToEnd;

/// <summary>
/// <c>e2e</c>: two gateway processes (EE-SKA sends, FI-NRM receives) on real RabbitMQ and PostgreSQL on this machine.
/// A closed-loop warm-up (not counted), a closed-loop phase (highest sustainable throughput), then one open-loop phase per offered rate
/// (latency accept → verified receipt), with CPU and memory of every process sampled from /proc throughout.
/// </summary>
internal static class EndToEndBenchmark
{
    public const string SenderRole = "gateway EE-SKA (sender)";
    public const string ReceiverRole = "gateway FI-NRM (receiver)";
    public const string BenchRole = "load generator (this tool)";
    public const string PostgresRole = "postgres (server, all backends)";
    public const string SenderDbRole = "postgres backends of EE-SKA's db";
    public const string ReceiverDbRole = "postgres backends of FI-NRM's db";
    public const string RabbitRole = "rabbitmq (beam.smp)";

    /// <summary>The roles that do not overlap: what the machine's busy time is compared with.</summary>
    public static readonly IReadOnlySet<string> TopLevelRoles = new HashSet<string>(StringComparer.Ordinal) { SenderRole, ReceiverRole, BenchRole, PostgresRole, RabbitRole };

    /// <summary>The system under test: what a referral costs, without the load generator.</summary>
    public static readonly IReadOnlySet<string> SystemRoles = new HashSet<string>(StringComparer.Ordinal) { SenderRole, ReceiverRole, PostgresRole, RabbitRole };

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken cancellationToken)
    {
        arguments.RejectUnknown("seconds", "rates", "clients", "drain-seconds", "warmup", "out", "set", "keep");
        var seconds = arguments.Int("seconds", 60);
        var rates = arguments.Ints("rates", [50, 100, 200]);
        var clients = arguments.Int("clients", 64);
        var drain = TimeSpan.FromSeconds(arguments.Int("drain-seconds", 300));
        var warmUp = arguments.Int("warmup", 60);
        var settings = arguments.All("set").Select(setting => setting.Split('=', 2)).ToDictionary(
            pair => pair.Length == 2 ? pair[0] : throw new BenchUsageException($"--set takes Name=value, not '{pair[0]}'"), pair => pair[1], StringComparer.Ordinal);
        var folder = ResultsFolder.From(arguments);
        var startedAt = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Describe();
        Console.WriteLine($"e2e: {machine.CpuModel}, {machine.LogicalCpus} CPUs, load {machine.LoadAverageAtStart}; closed loop {clients} clients for {seconds} s, open loop {string.Join(", ", rates)}/s for {seconds} s each; gateway {GatewayProcess.GatewayDll}");

        await using var services = await BenchServices.EnsureAsync(cancellationToken);
        var brokerVersion = await BrokerVersionAsync(services.RabbitMq, cancellationToken);
        var databaseVersion = await DatabaseVersionAsync(services.Postgres, cancellationToken);
        await using var federation = await BenchFederation.CreateAsync(services, arguments.Flag("keep"), cancellationToken);
        Console.WriteLine($"e2e: {federation}; {brokerVersion}; {databaseVersion}");
        await federation.StartAsync(settings, cancellationToken);
        Console.WriteLine($"e2e: {BenchFederation.Sender} pid {federation.Node(BenchFederation.Sender).ProcessId}, {BenchFederation.Receiver} pid {federation.Node(BenchFederation.Receiver).ProcessId}, this tool pid {Environment.ProcessId}");

        await using var sampler = new ProcessSampler(Roles(federation, services));
        using var client = CaseworkerHttp.Create(federation.Pki, BenchFederation.Sender, federation.InternalPortOf(BenchFederation.Sender), TimeSpan.FromSeconds(60));
        var body = ConsultationRequest.Body(BenchFederation.Receiver);
        var phases = new LoadPhases(federation, sampler, client, body, drain);
        var results = new List<PhaseResult>();

        // Tiered compilation keeps recompiling hot code (BouncyCastle, Npgsql, Kestrel, MassTransit) for the first minute or
        // two under load, at a quarter of the sender's CPU: a node that has run for a while is what is measured.
        Console.WriteLine($"e2e: warm-up, closed loop {clients} clients for {warmUp} s (not counted)");
        var warm = Report(await phases.ClosedLoopAsync("warm-up (not counted)", clients, TimeSpan.FromSeconds(warmUp), cancellationToken));
        var envelopeBytes = await EnvelopeBytesAsync(federation, cancellationToken);

        Console.WriteLine($"e2e: closed loop, {clients} clients, {seconds} s");
        results.Add(Report(await phases.ClosedLoopAsync("closed loop", clients, TimeSpan.FromSeconds(seconds), cancellationToken)));
        foreach (var rate in rates)
        {
            Console.WriteLine($"e2e: open loop, {rate}/s offered, {seconds} s");
            results.Add(Report(await phases.OpenLoopAsync($"open loop {rate}/s", rate, TimeSpan.FromSeconds(seconds), cancellationToken)));
        }

        var endToEnd = new EndToEndResults
        {
            StartedAt = startedAt,
            Machine = machine,
            LoadAverageAtEnd = MachineInfo.LoadAverage(),
            Gateway = GatewayProcess.GatewayDll,
            Broker = brokerVersion,
            Database = databaseVersion,
            Settings = settings,
            EnvelopeBytes = envelopeBytes,
            WarmUp = warm,
            Phases = results,
            Samples = sampler.Series,
        };
        var markdown = EndToEndReport.Markdown(endToEnd);
        var (json, md) = folder.Write("e2e", startedAt, endToEnd, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"written: {json}\n         {md}");
        return 0;
    }

    private static PhaseResult Report(PhaseResult phase)
    {
        var cores = string.Join(", ", phase.Usage.Cores.Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value:0.00}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {phase.Name}: accepted {phase.Accepted} ({phase.AcceptedPerSecond:0.0}/s), delivered in window {phase.DeliveredPerSecond:0.0}/s, refused {phase.Refused.Values.Sum()}, failed {phase.FailedDeliveries}, undelivered {phase.Undelivered}; latency p50/p99 {phase.LatencyMs?.P50:0}/{phase.LatencyMs?.P99:0} ms; machine {phase.Usage.MachineBusyCores:0.00} cores busy (other processes {phase.OtherCores:0.00}); system CPU {phase.SystemCpuMsPerMessage:0.0} ms/message → ceiling {phase.CpuBoundCeilingPerSecond:0}/s; {cores}"));
        return phase;
    }

    private static List<ProcessRole> Roles(BenchFederation federation, BenchServices services)
    {
        var roles = new List<ProcessRole>
        {
            new(SenderRole, federation.Node(BenchFederation.Sender).ProcessId),
            new(ReceiverRole, federation.Node(BenchFederation.Receiver).ProcessId),
            new(BenchRole, Environment.ProcessId),
        };
        var postgresPort = new NpgsqlConnectionStringBuilder(services.Postgres).Port;
        if (ProcFs.ListeningProcess(postgresPort) is { } postmaster)
        {
            roles.Add(new(PostgresRole, postmaster, WithChildren: true));
            roles.Add(new(SenderDbRole, postmaster, ChildCommandLineContains: $" {federation.Databases[BenchFederation.Sender]} "));
            roles.Add(new(ReceiverDbRole, postmaster, ChildCommandLineContains: $" {federation.Databases[BenchFederation.Receiver]} "));
        }
        else
        {
            Console.WriteLine($"e2e: no process visible listening on {postgresPort}: PostgreSQL's CPU is not sampled");
        }

        if (ProcFs.ListeningProcess(services.RabbitMq.Port) is { } beam)
        {
            roles.Add(new(RabbitRole, beam, WithChildren: true));
        }
        else
        {
            Console.WriteLine($"e2e: no process visible listening on {services.RabbitMq.Port}: RabbitMQ's CPU is not sampled");
        }

        return roles;
    }

    private static async Task<int> EnvelopeBytesAsync(BenchFederation federation, CancellationToken cancellationToken)
    {
        await using var command = federation.DatabaseOf(BenchFederation.Sender).CreateCommand("SELECT message_id FROM outbound_messages WHERE envelope IS NOT NULL LIMIT 1");
        var id = (string?)await command.ExecuteScalarAsync(cancellationToken);
        await using var stores = federation.OpenStores(BenchFederation.Sender);
        return id is null ? 0 : (await stores.SentEnvelopeAsync(Guid.Parse(id), cancellationToken))?.Length ?? 0;
    }

    private static async Task<string> BrokerVersionAsync(Uri broker, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        return connection.ServerProperties?.TryGetValue("version", out var version) == true && version is byte[] bytes
            ? $"RabbitMQ {System.Text.Encoding.UTF8.GetString(bytes)} at {broker.Host}:{broker.Port}"
            : $"RabbitMQ at {broker.Host}:{broker.Port}";
    }

    private static async Task<string> DatabaseVersionAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var database = NpgsqlDataSource.Create(connectionString);
        await using var command = database.CreateCommand("SHOW server_version");
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL {await command.ExecuteScalarAsync(cancellationToken)} at {builder.Host}:{builder.Port}";
    }
}
