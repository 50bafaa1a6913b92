using System.Globalization;
using Gateway.Crypto.DevPki;
using Gateway.Service.Persistence;
using Gateway.Testing.Broker;
using Gateway.Testing.Nodes;
using Gateway.Testing.Persistence;
using Gateway.Testing.Ports;
using Npgsql;

namespace Gateway.Bench.EndToEnd;

/// <summary>
/// EE-SKA (sends) and FI-NRM (receives) of a development federation as two gateway processes on the same RabbitMQ and
/// PostgreSQL: each node its own database, every queue under this run's prefix. Disposing stops both processes,
/// deletes the queues, drops the databases and the temporary folder (unless kept).
/// </summary>
internal sealed class BenchFederation : IAsyncDisposable
{
    public const string Sender = "EE-SKA";
    public const string Receiver = "FI-NRM";

    private readonly BenchServices _services;
    private readonly Dictionary<string, string> _databases;
    private readonly Dictionary<string, string> _connectionStrings;
    private readonly Dictionary<string, GatewayNodeProcess> _nodes = [];
    private readonly Dictionary<string, NpgsqlDataSource> _dataSources;
    private readonly bool _keep;

    private BenchFederation(BenchServices services, string directory, int basePort, string run, Dictionary<string, string> databases, Dictionary<string, string> connectionStrings, bool keep)
    {
        _services = services;
        Directory = directory;
        BasePort = basePort;
        QueuePrefix = "bench-" + run[..8];
        _databases = databases;
        _connectionStrings = connectionStrings;
        _dataSources = connectionStrings.ToDictionary(pair => pair.Key, pair => NpgsqlDataSource.Create(pair.Value));
        _keep = keep;
    }

    public static IReadOnlyList<string> NodeIds { get; } = [Sender, Receiver];

    public string Directory { get; }

    public string Pki => Path.Combine(Directory, "pki");

    public int BasePort { get; }

    public string QueuePrefix { get; }

    public IReadOnlyDictionary<string, string> Databases => _databases;

    public GatewayNodeProcess Node(string nodeId) => _nodes[nodeId];

    public static async Task<BenchFederation> CreateAsync(BenchServices services, bool keep, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N");
        var directory = Path.Combine(Path.GetTempPath(), "gateway-bench-e2e-" + run);
        var basePort = FreePorts.FindBase(4);
        using (var federation = DevFederation.Create([.. NodeIds], EncryptionKeyKind.Ec, DateTimeOffset.UtcNow, basePort))
        {
            federation.WriteTo(Path.Combine(directory, "pki"));
        }

        var databases = NodeIds.ToDictionary(id => id, id => PostgresDatabases.NameFor("bench_" + run[..10], id));
        var connectionStrings = new Dictionary<string, string>();
        foreach (var (id, database) in databases)
        {
            connectionStrings[id] = await PostgresDatabases.EnsureAsync(services.Postgres, database, cancellationToken);
        }

        return new BenchFederation(services, directory, basePort, run, databases, connectionStrings, keep);
    }

    public int InternalPortOf(string nodeId) => BasePort + (2 * NodeIds.ToList().IndexOf(nodeId)) + 1;

    public string ConnectionStringOf(string nodeId) => _connectionStrings[nodeId];

    /// <summary>This tool's own connection pool to a node's database, for reading what the node did.</summary>
    public NpgsqlDataSource DatabaseOf(string nodeId) => _dataSources[nodeId];

    /// <summary>Starts both nodes with the deployed logging settings (deploy/systemd) plus <paramref name="settings"/>, and waits until both are ready.</summary>
    public async Task StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        foreach (var nodeId in NodeIds)
        {
            var environment = new Dictionary<string, string?>
            {
                ["RABBITMQ_URI"] = _services.RabbitMq.ToString(),
                ["POSTGRES_CONNECTION"] = _connectionStrings[nodeId],
                ["Gateway__QueuePrefix"] = QueuePrefix,
                ["Logging__LogLevel__Default"] = "Information",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
                ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
                ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
            };
            foreach (var (name, value) in settings)
            {
                environment[name] = value;
            }

            var data = Path.Combine(Directory, "data", nodeId);
            System.IO.Directory.CreateDirectory(data);
            _nodes[nodeId] = new GatewayNodeProcess(new GatewayNodeProcessOptions
            {
                Name = nodeId,
                NodeId = nodeId,
                Pki = Pki,
                InternalPort = InternalPortOf(nodeId),
                Arguments = ["run", "--pki", Pki, "--node", nodeId, "--data-dir", data],
                Environment = environment,
                LogDirectory = Directory,
                RunBy = "bench",

                // Buffered: the nodes' logging is part of what the run measures, this tool's writing of it is not.
                FlushEachLine = false,
            });
        }

        await Task.WhenAll(_nodes.Values.Select(node => node.StartAsync(TimeSpan.FromSeconds(90), cancellationToken)));
    }

    /// <summary>The node's database and stores, read from outside (the bench writes nothing).</summary>
    public NodeStores OpenStores(string nodeId) =>
        NodeStores.Create(StorageProvider.Postgres, _connectionStrings[nodeId], DevPkiLayout.KeyEncryptionKeyFile(Pki, nodeId));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        foreach (var dataSource in _dataSources.Values)
        {
            await dataSource.DisposeAsync();
        }

        if (_keep)
        {
            Console.WriteLine($"e2e: kept {Directory} (logs, PKI), databases {string.Join(", ", _databases.Values)} and queues {QueuePrefix}.*");
            return;
        }

        await CleanUpAsync("delete the queues", () => BrokerQueues.DeleteAsync(_services.RabbitMq, clusterNodes: [], QueuePrefix, NodeIds));
        foreach (var database in _databases.Values)
        {
            await CleanUpAsync($"drop {database}", () => PostgresDatabases.DropAsync(_services.Postgres, database, CancellationToken.None));
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException exception)
        {
            Console.Error.WriteLine($"e2e: could not delete {Directory}: {exception.Message}");
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sender}→{Receiver} ports {BasePort}–{BasePort + 3}, queues {QueuePrefix}.*");

    // A cleanup step that fails is reported, not thrown: it must not hide the run's results.
    private static async Task CleanUpAsync(string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"e2e: cleanup: could not {what}: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
