using System.CommandLine;
using Gateway.Crypto.DevPki;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Cli;

/// <summary>
/// <c>run</c>: serve one node. From a dev PKI with <c>--pki</c>/<c>--node</c>; from configuration (section
/// <c>Gateway</c> in appsettings.json or <c>Gateway__*</c> environment variables) for real deployments; and with
/// neither, a clearly labelled dev mode: a generated PKI under the data directory, SQLite, in-memory transport.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var pki = new Option<DirectoryInfo?>("--pki") { Description = "A folder written by 'pki init-dev'." };
        var node = new Option<string?>("--node") { Description = "Which node of that PKI to serve." };
        var dataDirectory = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "Where the node keeps its SQLite database (and, in dev mode, its PKI).",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.CurrentDirectory, ".data", "run")),
        };
        var peerPort = new Option<int>("--peer-port") { Description = "Override the peer (mutual TLS) port." };
        var internalPort = new Option<int>("--internal-port") { Description = "Override the internal port." };
        var command = new Command("run", "Serve a gateway node (the default command).") { pki, node, dataDirectory, peerPort, internalPort };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration;
            var data = parse.GetRequiredValue(dataDirectory).FullName;
            GatewayNodeOptions options;
            if (parse.GetValue(pki) is { } pkiDirectory)
            {
                var nodeId = parse.GetValue(node);
                if (string.IsNullOrEmpty(nodeId))
                {
                    console.Error.WriteLine("run: --pki needs --node to say which node to serve");
                    return GatewayCommandLine.UsageError;
                }

                options = GatewayNodeOptions.FromDevPki(pkiDirectory.FullName, nodeId, Path.Combine(data, nodeId));

                // Settings in appsettings.json or Gateway__* variables refine the dev node (delivery policy, disclosure, ...).
                options.BindFrom(Configuration());
            }
            else if (FromConfiguration() is { } configured)
            {
                options = configured;
            }
            else
            {
                var devPki = Path.Combine(data, "pki");
                if (!File.Exists(DevPkiLayout.InternalTlsCertificateFile(devPki, "EE-SKA")) || !File.Exists(DevPkiLayout.PeopleFile(devPki, "EE-SKA")))
                {
                    // Absent, or written by an earlier version without the internal PKI or the people: dev keys are disposable.
                    if (Directory.Exists(devPki))
                    {
                        Directory.Delete(devPki, recursive: true);
                    }

                    using var federation = DevFederation.Create(["EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE"], EncryptionKeyKind.Ec, DateTimeOffset.UtcNow);
                    federation.WriteTo(devPki);
                }

                console.Output.WriteLine($"DEV MODE: no configuration given; serving EE-SKA from the generated development PKI in {devPki}. Never use it for real data.");
                options = GatewayNodeOptions.FromDevPki(devPki, "EE-SKA", Path.Combine(data, "EE-SKA"));
            }

            ApplyEnvironment(options);
            options.Node.PeerPort = parse.GetValue(peerPort) is > 0 and var p ? p : options.Node.PeerPort;
            options.Node.InternalPort = parse.GetValue(internalPort) is > 0 and var i ? i : options.Node.InternalPort;
            try
            {
                await using var app = await GatewayHost.BuildAsync(options, cancellationToken);
                await app.RunAsync(cancellationToken);
                return 0;
            }
            catch (Exception exception) when (exception is InvalidOperationException or OptionsValidationException or Crypto.Peers.PeerRegistryException or IOException)
            {
                console.Error.WriteLine($"run: {exception.Message}");
                return GatewayCommandLine.UsageError;
            }
        });
        return command;
    }

    /// <summary>RABBITMQ_URI and POSTGRES_CONNECTION, as the tests and the demo use them, override the embedded defaults.</summary>
    internal static void ApplyEnvironment(GatewayNodeOptions options)
    {
        if (Environment.GetEnvironmentVariable("RABBITMQ_URI") is { Length: > 0 } rabbit && !options.Bus.UsesRabbitMq)
        {
            options.Bus.RabbitMqUri = rabbit;
        }

        if (Environment.GetEnvironmentVariable("RABBITMQ_CLUSTER_NODES") is { Length: > 0 } cluster && options.Bus.RabbitMqClusterNodes.Count == 0)
        {
            options.Bus.RabbitMqClusterNodes = [.. cluster.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        if (Environment.GetEnvironmentVariable("POSTGRES_CONNECTION") is { Length: > 0 } postgres && options.Storage.Provider == StorageProvider.Sqlite)
        {
            options.Storage.Provider = StorageProvider.Postgres;
            options.Storage.ConnectionString = postgres;
        }
    }

    /// <summary>The node's options as <c>run</c> would use them, from a dev PKI (<c>--pki</c>/<c>--node</c>) or from configuration; null when neither.</summary>
    internal static GatewayNodeOptions? Resolve(DirectoryInfo? pkiDirectory, string? nodeId, string dataDirectory)
    {
        GatewayNodeOptions? options = null;
        if (pkiDirectory is not null && !string.IsNullOrEmpty(nodeId))
        {
            options = GatewayNodeOptions.FromDevPki(pkiDirectory.FullName, nodeId, Path.Combine(dataDirectory, nodeId));
            options.BindFrom(Configuration());
        }
        else if (FromConfiguration() is { } configured)
        {
            options = configured;
        }

        if (options is not null)
        {
            ApplyEnvironment(options);
        }

        return options;
    }

    private static GatewayNodeOptions? FromConfiguration()
    {
        var configuration = Configuration();
        var section = configuration.GetSection(Node.NodeOptions.Section);
        return section.Exists() && section.GetChildren().Any(child => child.Key == nameof(Node.NodeOptions.NodeId)) ? GatewayNodeOptions.FromConfiguration(configuration) : null;
    }

    private static IConfigurationRoot Configuration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(Environment.CurrentDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();
}
