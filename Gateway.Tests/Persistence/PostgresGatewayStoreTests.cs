using Gateway.Service.Persistence;
using Gateway.Tests.Infrastructure;
using Npgsql;

namespace Gateway.Tests.Persistence;

/// <summary>
/// The store contract on a real PostgreSQL server (DESIGN §12): a uniquely named database per test, created through
/// the fixture's role (it has CREATEDB) and dropped afterwards.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresGatewayStoreTests(PostgresFixture server) : GatewayStoreContract
{
    private readonly List<string> _databases = [];

    protected override StorageProvider Provider => StorageProvider.Postgres;

    [Fact]
    public async Task Two_stores_initializing_one_fresh_database_concurrently_both_succeed()
    {
        var connectionString = await CreateDatabaseAsync(Ct);
        await using var first = new GatewayStore(StorageProvider.Postgres, connectionString);
        await using var second = new GatewayStore(StorageProvider.Postgres, connectionString);

        await Task.WhenAll(first.InitializeAsync(Ct), second.InitializeAsync(Ct));

        Assert.Equal(0, await first.CountInboundAsync(Ct));
        Assert.Empty(await second.CountOutboundByStateAsync(Ct));
    }

    protected override async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "gateway_store_" + Guid.NewGuid().ToString("N");
        await AdminAsync($"CREATE DATABASE {name}", cancellationToken);
        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    protected override async Task DeleteDatabasesAsync()
    {
        foreach (var name in _databases)
        {
            await PostgresDatabases.DropAsync(server.ConnectionString, name, CancellationToken.None);
        }

        _databases.Clear();
    }

    private async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
