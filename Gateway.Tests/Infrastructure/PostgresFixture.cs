using DotNet.Testcontainers.Builders;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for integration tests (DESIGN.md §12): <c>POSTGRES_CONNECTION</c> when
/// set (<c>./test.sh</c> sets it), else a Testcontainers server when a Docker engine is reachable,
/// else the fixture fails every test of the collection with a message saying how to start one. It
/// never lets a test skip or pass without the server.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ConnectionVariable = "POSTGRES_CONNECTION";

    private const string ContainerImage = "postgres:15-alpine";

    private const string HowToStart =
        "From the repository root start the local server with " +
        "`./deploy/local/postgres.sh start && eval \"$(./deploy/local/postgres.sh env)\"` and run the tests again, " +
        "or simply run `./test.sh`, which starts RabbitMQ and PostgreSQL and runs the whole suite.";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private PostgreSqlContainer? _container;
    private string? _connectionString;

    /// <summary>An Npgsql connection string for a database the tests may create objects in.</summary>
    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("The PostgreSQL fixture is not initialised.");

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            await ProbeAsync(configured).ConfigureAwait(false);
            _connectionString = configured;
            return;
        }

        PostgreSqlContainer container;
        try
        {
            container = new PostgreSqlBuilder(ContainerImage).Build();
        }
        catch (DockerUnavailableException exception)
        {
            throw new InvalidOperationException(
                $"This test needs PostgreSQL, but none is available: {ConnectionVariable} is not set and no Docker engine is reachable for Testcontainers. {HowToStart}",
                exception);
        }

        _container = container;
        await container.StartAsync().ConfigureAwait(false);
        _connectionString = container.GetConnectionString();
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Fail with directions instead of a late, unexplained connection error when the server is down.
    private static async Task ProbeAsync(string connectionString)
    {
        string where;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            where = $"{builder.Host}:{builder.Port}";
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException(
                $"{ConnectionVariable} is not a valid Npgsql connection string ({exception.Message}). {HowToStart}", exception);
        }

        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"{ConnectionVariable} points at {where}, but PostgreSQL could not be reached there ({exception.Message}). {HowToStart}",
                exception);
        }
    }
}
