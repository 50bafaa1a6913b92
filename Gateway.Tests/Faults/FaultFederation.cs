using Gateway.Crypto.DevPki;
using Gateway.Service.Persistence;
using Gateway.Testing.Broker;
using Gateway.Testing.Nodes;
using Gateway.Testing.Persistence;
using Gateway.Testing.Ports;
using Gateway.Tests.Federation;

namespace Gateway.Tests.Faults;

/// <summary>
/// Two nodes of a development federation (EE-SKA sends, FI-NRM receives) run as separate gateway processes on a real
/// RabbitMQ and PostgreSQL: each node its own database, every queue under a prefix of this scenario alone. Disposing
/// kills every process it started, deletes the queues and drops the databases.
/// </summary>
internal sealed class FaultFederation : IAsyncDisposable
{
    public const string Sender = "EE-SKA";
    public const string Receiver = "FI-NRM";

    private static readonly string[] NodeIds = [Sender, Receiver];

    private readonly List<GatewayNodeProcess> _processes = [];
    private readonly Dictionary<string, string> _databases;
    private readonly Dictionary<string, string> _connectionStrings;
    private readonly string _postgresServer;
    private readonly Action<string> _log;

    private FaultFederation(string scenario, string directory, int basePort, Uri broker, IReadOnlyList<string> clusterNodes, string postgresServer,
        Dictionary<string, string> databases, Dictionary<string, string> connectionStrings, Action<string> log)
    {
        Scenario = scenario;
        Directory = directory;
        BasePort = basePort;
        Broker = broker;
        ClusterNodes = clusterNodes;
        _postgresServer = postgresServer;
        _databases = databases;
        _connectionStrings = connectionStrings;
        _log = log;
        QueuePrefix = "fault-" + Path.GetFileName(directory)[^8..];
        LogDirectory = Path.Combine(AppContext.BaseDirectory, "fault-logs", scenario);
    }

    public string Scenario { get; }

    public string Directory { get; }

    public string Pki => Path.Combine(Directory, "pki");

    /// <summary>Node i listens on BasePort+2i (peers) and BasePort+2i+1 (internal); BasePort+4 and +5 are spare for a second process.</summary>
    public int BasePort { get; }

    public Uri Broker { get; }

    public IReadOnlyList<string> ClusterNodes { get; }

    public string QueuePrefix { get; }

    public string LogDirectory { get; }

    public IReadOnlyList<GatewayNodeProcess> Processes => _processes;

    public static async Task<FaultFederation> CreateAsync(string scenario, Uri broker, IReadOnlyList<string> clusterNodes, string postgresServer, Action<string> log)
    {
        var run = Guid.NewGuid().ToString("N");
        var directory = Path.Combine(Path.GetTempPath(), "gateway-fault-" + run);
        var basePort = FreePorts.FindBase(6);
        using (var federation = DevFederation.Create(NodeIds, EncryptionKeyKind.Ec, DateTimeOffset.UtcNow, basePort))
        {
            federation.WriteTo(Path.Combine(directory, "pki"));
        }

        var databases = NodeIds.ToDictionary(id => id, id => PostgresDatabases.NameFor("fault_" + run[^10..], id));
        var connectionStrings = new Dictionary<string, string>();
        foreach (var (id, database) in databases)
        {
            connectionStrings[id] = await PostgresDatabases.EnsureAsync(postgresServer, database, CancellationToken.None);
        }

        var logs = Path.Combine(AppContext.BaseDirectory, "fault-logs", scenario);
        if (System.IO.Directory.Exists(logs))
        {
            System.IO.Directory.Delete(logs, recursive: true);
        }

        return new FaultFederation(scenario, directory, basePort, broker, clusterNodes, postgresServer, databases, connectionStrings, log);
    }

    public int PeerPortOf(string nodeId) => BasePort + (2 * Array.IndexOf(NodeIds, nodeId));

    public int InternalPortOf(string nodeId) => PeerPortOf(nodeId) + 1;

    public string ConnectionStringOf(string nodeId) => _connectionStrings[nodeId];

    /// <summary>
    /// A gateway process serving <paramref name="nodeId"/> (not started yet). A second process of the same node shares
    /// its data folder (content key), database and queues, and listens on the ports given.
    /// </summary>
    public GatewayNodeProcess AddProcess(string nodeId, string? name = null, int peerPort = 0, int internalPort = 0, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["RABBITMQ_URI"] = Broker.ToString(),
            ["RABBITMQ_CLUSTER_NODES"] = ClusterNodes.Count == 0 ? null : string.Join(',', ClusterNodes),
            ["POSTGRES_CONNECTION"] = _connectionStrings[nodeId],
            ["Gateway__QueuePrefix"] = QueuePrefix,
            ["Gateway__Delivery__FirstRetryDelay"] = "00:00:00.300",
            ["Gateway__Delivery__MaxRetryDelay"] = "00:00:02",
            ["Gateway__Delivery__AttemptTimeout"] = "00:00:05",
            ["Gateway__Delivery__OutboxLease"] = "00:00:10",
            ["Gateway__Delivery__RelayPollInterval"] = "00:00:00.200",
            ["Gateway__Delivery__CircuitBreaker__BreakDuration"] = "00:00:02",

            // One line per delivery attempt stays (the evidence); one per HTTP request does not.
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",

            // Requests a caller abandoned (the exception handler logs those at Debug): evidence of what a cut connection interrupted.
            ["Logging__LogLevel__Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "Debug",
            ["Logging__LogLevel__Microsoft.Extensions.Http"] = "Warning",
            ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Warning",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var arguments = new List<string> { "run", "--pki", Pki, "--node", nodeId, "--data-dir", Path.Combine(Directory, "data") };
        if (peerPort != 0)
        {
            arguments.AddRange(["--peer-port", peerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        if (internalPort != 0)
        {
            arguments.AddRange(["--internal-port", internalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        var process = new GatewayNodeProcess(new GatewayNodeProcessOptions
        {
            Name = name ?? nodeId,
            NodeId = nodeId,
            Pki = Pki,
            InternalPort = internalPort != 0 ? internalPort : InternalPortOf(nodeId),
            Arguments = arguments,
            Environment = environment,
            LogDirectory = LogDirectory,
        });
        _processes.Add(process);
        return process;
    }

    /// <summary>Makes <paramref name="senderId"/> reach <paramref name="peerId"/> at another local port, as <see cref="TestFederation.RouteThrough"/>; call before starting the sender.</summary>
    public void RouteThrough(string senderId, string peerId, int port)
    {
        var file = DevPkiLayout.PeersFile(Pki, senderId);
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        var peer = document["peers"]!.AsArray().Single(node => (string?)node!["id"] == peerId)!;
        peer["endpoint"] = $"https://localhost:{port}";
        File.WriteAllText(file, document.ToJsonString());
    }

    /// <summary>A store on <paramref name="nodeId"/>'s database, to check from outside what the node did.</summary>
    public NodeStores OpenStore(string nodeId) =>
        NodeStores.Create(StorageProvider.Postgres, _connectionStrings[nodeId], DevPkiLayout.KeyEncryptionKeyFile(Pki, nodeId));

    /// <summary>The lines of every process's logs that mention <paramref name="text"/>.</summary>
    public IEnumerable<string> LogLinesWith(string text) => _processes.SelectMany(process => process.LinesWith(text));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await CleanUpAsync("delete the queues", () => BrokerQueues.DeleteAsync(Broker, ClusterNodes, QueuePrefix, NodeIds));
        foreach (var database in _databases.Values)
        {
            await CleanUpAsync($"drop {database}", () => PostgresDatabases.DropAsync(_postgresServer, database, CancellationToken.None));
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException exception)
        {
            _log($"cleanup: could not delete {Directory}: {exception.Message}");
        }
    }

    // A cleanup step that fails is reported, not thrown: it must not hide the scenario's own outcome.
    private async Task CleanUpAsync(string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception exception)
        {
            _log($"cleanup: could not {what}: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
