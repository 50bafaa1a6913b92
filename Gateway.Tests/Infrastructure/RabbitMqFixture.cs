using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using MassTransit;
using Testcontainers.RabbitMq;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real RabbitMQ broker for integration tests (DESIGN.md §12): <c>RABBITMQ_URI</c> when set
/// (<c>./test.sh</c> sets it), else a Testcontainers broker when a Docker engine is reachable, else
/// the fixture fails every test of the collection with a message saying how to start one. It never
/// lets a test skip or pass without the broker.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    public const string UriVariable = "RABBITMQ_URI";

    private const string ContainerImage = "rabbitmq:3.13-alpine";

    private const string HowToStart =
        "From the repository root start the local broker with " +
        "`./deploy/local/rabbitmq.sh start && eval \"$(./deploy/local/rabbitmq.sh env)\"` and run the tests again, " +
        "or simply run `./test.sh`, which starts RabbitMQ and PostgreSQL and runs the whole suite.";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private RabbitMqContainer? _container;
    private Uri? _brokerUri;

    /// <summary>The broker address, <c>amqp://user:password@host:port/vhost</c>.</summary>
    public Uri BrokerUri => _brokerUri ?? throw new InvalidOperationException("The RabbitMQ fixture is not initialised.");

    /// <summary>Points a MassTransit bus at the broker (host, port, virtual host and credentials).</summary>
    public void ConfigureHost(IRabbitMqBusFactoryConfigurator configurator)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var uri = BrokerUri;
        var credentials = uri.UserInfo.Split(':', 2);
        var username = Uri.UnescapeDataString(credentials[0]);
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : string.Empty;
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        configurator.Host(uri.Host, (ushort)uri.Port, virtualHost.Length == 0 ? "/" : virtualHost, host =>
        {
            if (username.Length > 0)
            {
                host.Username(username);
                host.Password(password);
            }
        });
    }

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(UriVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _brokerUri = await UseConfiguredBrokerAsync(configured).ConfigureAwait(false);
            return;
        }

        RabbitMqContainer container;
        try
        {
            container = new RabbitMqBuilder(ContainerImage).Build();
        }
        catch (DockerUnavailableException exception)
        {
            throw new InvalidOperationException(
                $"This test needs RabbitMQ, but none is available: {UriVariable} is not set and no Docker engine is reachable for Testcontainers. {HowToStart}",
                exception);
        }

        _container = container;
        await container.StartAsync().ConfigureAwait(false);
        _brokerUri = new Uri(container.GetConnectionString());
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<Uri> UseConfiguredBrokerAsync(string configured)
    {
        if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri)
            || (uri.Scheme != "amqp" && uri.Scheme != "amqps" && uri.Scheme != "rabbitmq")
            || uri.Port <= 0)
        {
            throw new InvalidOperationException(
                $"{UriVariable} must look like amqp://user:password@127.0.0.1:5673/ but is not a usable amqp URI. {HowToStart}");
        }

        // Fail with directions instead of a MassTransit connection timeout when the broker is down.
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            await client.ConnectAsync(uri.Host, uri.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"{UriVariable} points at {uri.Host}:{uri.Port}, but no RabbitMQ answers there ({exception.Message}). {HowToStart}",
                exception);
        }

        return uri;
    }
}
