using Gateway.Crypto.DevPki;
using Gateway.Service.Delivery;
using Gateway.Service.Hosting;
using Gateway.Service.Outbox;
using Gateway.Service.Persistence;
using Gateway.Testing.Ports;

namespace Gateway.Tests.Federation;

/// <summary>
/// A development federation written to a temp folder on free ports, and gateway nodes started from it as real
/// hosts (Kestrel, mutual TLS on loopback, their own store and bus). Dev keys are deleted with the folder.
/// </summary>
internal sealed class TestFederation : IAsyncDisposable
{
    private readonly List<GatewayNode> _nodes = [];

    private TestFederation(string directory, DevFederation federation)
    {
        Directory = directory;
        Pki = Path.Combine(directory, "pki");
        Dev = federation;
    }

    public string Directory { get; }

    public string Pki { get; }

    public DevFederation Dev { get; }

    public static TestFederation Create(params string[] nodeIds)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gateway-federation-" + Guid.NewGuid().ToString("N"));
        var federation = DevFederation.Create(nodeIds, EncryptionKeyKind.Ec, DateTimeOffset.UtcNow, FreePorts.FindBase(nodeIds.Length * 2));
        federation.WriteTo(Path.Combine(directory, "pki"));
        return new TestFederation(directory, federation);
    }

    /// <summary>Options for a node on SQLite and the in-memory transport, with test-sized retry timings.</summary>
    public GatewayNodeOptions OptionsFor(string nodeId)
    {
        var options = GatewayNodeOptions.FromDevPki(Pki, nodeId, Path.Combine(Directory, "data", nodeId));
        options.Delivery = new DeliveryOptions
        {
            FirstRetryDelay = TimeSpan.FromMilliseconds(300),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            AttemptTimeout = TimeSpan.FromSeconds(10),
        };
        options.Outbox = new OutboxOptions
        {
            OutboxLease = TimeSpan.FromSeconds(20),
            RelayPollInterval = TimeSpan.FromMilliseconds(100),
        };
        return options;
    }

    /// <summary>The same node on a real PostgreSQL database of its own and a real RabbitMQ, with queues unique to this run.</summary>
    public async Task<GatewayNodeOptions> OptionsWithBrokerAndDatabaseAsync(string nodeId, string rabbitMqUri, string postgres)
    {
        var options = OptionsFor(nodeId);
        options.Bus.RabbitMqUri = rabbitMqUri;
        options.Bus.QueuePrefix = "test-" + Path.GetFileName(Directory)[^8..];
        options.Storage.Provider = StorageProvider.Postgres;
        options.Storage.ConnectionString = await PostgresDatabases.EnsureAsync(postgres, PostgresDatabases.NameFor("gw_" + Path.GetFileName(Directory)[^10..], nodeId), CancellationToken.None);
        return options;
    }

    /// <summary>Makes <paramref name="senderId"/> reach <paramref name="peerId"/> at another local port (a <see cref="TcpFaultProxy"/>); call before starting the sender.</summary>
    public void RouteThrough(string senderId, string peerId, int port)
    {
        var file = DevPkiLayout.PeersFile(Pki, senderId);
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        var peer = document["peers"]!.AsArray().Single(node => (string?)node!["id"] == peerId)!;
        peer["endpoint"] = $"https://localhost:{port}";
        File.WriteAllText(file, document.ToJsonString());
    }

    /// <summary>The port <paramref name="nodeId"/>'s peer listener uses.</summary>
    public int PeerPortOf(string nodeId) => Dev.Node(nodeId).PeerPort;

    public async Task<GatewayNode> StartAsync(GatewayNodeOptions options, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? replaceServices = null)
    {
        var node = await GatewayNode.StartAsync(options, replaceServices);
        _nodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        Dev.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still closing; the temp folder is cleaned by the OS.
        }
    }
}
