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

    [Fact]
    public async Task The_inbox_poll_reads_pending_rows_through_their_partial_index_not_the_whole_table()
    {
        var connectionString = await CreateDatabaseAsync(Ct);
        await using (var store = new GatewayStore(StorageProvider.Postgres, connectionString))
        {
            await store.InitializeAsync(Ct);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using (var noSeqScan = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            // An empty table would be scanned whatever the indexes; this asks which index the planner can use.
            await noSeqScan.ExecuteNonQueryAsync(Ct);
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + GatewayStore.PendingInboundQuery, connection);
        explain.Parameters.AddWithValue("max", 50);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("ix_inbound_pending", StringComparison.Ordinal));
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
