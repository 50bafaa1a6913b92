using Gateway.Crypto.DevPki;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Cases;
using Gateway.Service.Delivery;
using Gateway.Service.Disclosure;
using Gateway.Service.Keys;
using Gateway.Service.Node;
using Gateway.Service.Outbox;
using Gateway.Service.Peering;
using Gateway.Service.Persistence;
using Gateway.Service.Retention;
using Microsoft.Extensions.Configuration;

namespace Gateway.Service.Hosting;

/// <summary>
/// A whole node's settings made in code — a dev PKI's node, the demo's, a test's — as the features' own options.
/// <see cref="GatewayHost.CreateBuilder"/> turns them into configuration beneath appsettings.json and the environment,
/// and each feature binds and validates its part from there, as it does in a deployment.
/// </summary>
public sealed class GatewayNodeOptions
{
    public NodeOptions Node { get; set; } = new();

    public AccessOptions Access { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public KeysOptions Keys { get; set; } = new();

    public CasesOptions Cases { get; set; } = new();

    public BusOptions Bus { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();

    public PeerEndpointOptions PeerEndpoint { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    public DeliveryOptions Delivery { get; set; } = new();

    public DisclosureOptions Disclosure { get; set; } = new();

    public RetentionOptions Retention { get; set; } = new();

    /// <summary>A node of a development PKI written by <c>pki init-dev</c>, its SQLite database and content key in <paramref name="dataDirectory"/>.</summary>
    public static GatewayNodeOptions FromDevPki(string pkiDirectory, string nodeId, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        return new GatewayNodeOptions
        {
            Node = NodeOptions.FromDevPki(pkiDirectory, nodeId, dataDirectory),
            Access = new AccessOptions
            {
                PeopleFile = DevPkiLayout.PeopleFile(pkiDirectory, nodeId),
                ClientCrlFiles = [DevPkiLayout.InternalCrlFile(pkiDirectory, nodeId)],
            },
            Storage = new StorageOptions { ConnectionString = $"Data Source={Path.Combine(dataDirectory, "gateway.db")}" },
            Keys = new KeysOptions { KeyEncryptionKeyFile = DevPkiLayout.KeyEncryptionKeyFile(pkiDirectory, nodeId) },
        };
    }

    /// <summary>The settings a configuration holds, each part bound from its section.</summary>
    public static GatewayNodeOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new GatewayNodeOptions();
        options.BindFrom(configuration);
        return options;
    }

    /// <summary>Refines these settings with whatever <paramref name="configuration"/> sets.</summary>
    public void BindFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.GetSection(NodeOptions.Section).Bind(Node);
        configuration.GetSection(AccessOptions.Section).Bind(Access);
        configuration.GetSection(StorageOptions.Section).Bind(Storage);
        configuration.GetSection(KeysOptions.Section).Bind(Keys);
        configuration.GetSection(CasesOptions.Section).Bind(Cases);
        configuration.GetSection(BusOptions.Section).Bind(Bus);
        configuration.GetSection(OutboxOptions.Section).Bind(Outbox);
        configuration.GetSection(PeerEndpointOptions.Section).Bind(PeerEndpoint);
        configuration.GetSection(AuditOptions.Section).Bind(Audit);
        configuration.GetSection(DeliveryOptions.Section).Bind(Delivery);
        configuration.GetSection(DisclosureOptions.Section).Bind(Disclosure);
        configuration.GetSection(RetentionOptions.Section).Bind(Retention);
    }

    /// <summary>These settings as configuration keys, each part under its section.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToConfiguration() =>
        ConfigurationValues.Of(Node, NodeOptions.Section)
            .Concat(ConfigurationValues.Of(Access, AccessOptions.Section))
            .Concat(ConfigurationValues.Of(Storage, StorageOptions.Section))
            .Concat(ConfigurationValues.Of(Keys, KeysOptions.Section))
            .Concat(ConfigurationValues.Of(Cases, CasesOptions.Section))
            .Concat(ConfigurationValues.Of(Bus, BusOptions.Section))
            .Concat(ConfigurationValues.Of(Outbox, OutboxOptions.Section))
            .Concat(ConfigurationValues.Of(PeerEndpoint, PeerEndpointOptions.Section))
            .Concat(ConfigurationValues.Of(Audit, AuditOptions.Section))
            .Concat(ConfigurationValues.Of(Delivery, DeliveryOptions.Section))
            .Concat(ConfigurationValues.Of(Disclosure, DisclosureOptions.Section))
            .Concat(ConfigurationValues.Of(Retention, RetentionOptions.Section));
}
