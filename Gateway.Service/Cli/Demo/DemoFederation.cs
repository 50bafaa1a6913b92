using Gateway.Service.Hosting;
using Gateway.Service.Persistence;

namespace Gateway.Service.Cli.Demo;

/// <summary>
/// The three nodes, each a full gateway host in this process with its own store and bus, on loopback with mutual TLS
/// between them, and clients for each node's internal API as its caseworker and as its data protection officer.
/// </summary>
internal sealed class DemoFederation : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly Dictionary<string, NodeApi> _apis = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeApi> _overseers = new(StringComparer.Ordinal);

    private DemoFederation()
    {
    }

    /// <summary>StorageProvider name of the nodes: Sqlite, or Postgres when POSTGRES_CONNECTION is set.</summary>
    public string Storage { get; private set; } = nameof(StorageProvider.Sqlite);

    /// <summary>"RabbitMQ" when RABBITMQ_URI is set, else MassTransit's in-memory transport.</summary>
    public string Transport { get; private set; } = "in-memory transport";

    public NodeApi this[string nodeId] => _apis[nodeId];

    /// <summary>The node's internal API as its data protection officer (roles auditor and dpo): the oversight views.</summary>
    public NodeApi Oversight(string nodeId) => _overseers[nodeId];

    public static async Task<DemoFederation> StartAsync(DemoDataDirectory data, TimeProvider time, CancellationToken cancellationToken)
    {
        var federation = new DemoFederation();
        try
        {
            foreach (var node in DemoNodes.All)
            {
                var options = await NodeOptionsAsync(data, node, cancellationToken);
                federation.Storage = options.Storage.Provider.ToString();
                federation.Transport = options.Bus.UsesRabbitMq ? "RabbitMQ" : federation.Transport;
                var builder = GatewayHost.CreateBuilder(options);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                var app = await GatewayHost.BuildAsync(builder, cancellationToken);
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch
                {
                    await app.DisposeAsync();
                    throw;
                }

                federation._apps.Add(app);
                federation._apis[node] = NodeApi.Create(data.Pki, node, time);
                federation._overseers[node] = NodeApi.Create(data.Pki, node, time, Crypto.DevPki.DevPeople.DataProtectionOfficer);
            }

            return federation;
        }
        catch
        {
            await federation.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var api in _apis.Values.Concat(_overseers.Values))
        {
            api.Dispose();
        }

        foreach (var app in _apps)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private static async Task<GatewayNodeOptions> NodeOptionsAsync(DemoDataDirectory data, string node, CancellationToken cancellationToken)
    {
        var options = GatewayNodeOptions.FromDevPki(data.Pki, node, data.NodeFolder(node));
        options.Bus.QueuePrefix = "gateway-demo";
        options.Delivery = new Delivery.DeliveryOptions
        {
            FirstRetryDelay = TimeSpan.FromSeconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(5),
            AttemptTimeout = TimeSpan.FromSeconds(15),
        };
        options.Outbox.RelayPollInterval = TimeSpan.FromMilliseconds(200);
        RunCommand.ApplyEnvironment(options);
        if (options.Storage.Provider == StorageProvider.Postgres)
        {
            options.Storage.ConnectionString = await DemoDatabases.RecreateAsync(options.Storage.ConnectionString, node, cancellationToken);
        }

        return options;
    }
}
