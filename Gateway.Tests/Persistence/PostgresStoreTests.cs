using Gateway.Service.Persistence;
using Gateway.Testing.Persistence;
using Gateway.Tests.Infrastructure;
using Npgsql;

namespace Gateway.Tests.Persistence;

/// <summary>
/// The store contract on a real PostgreSQL server (DESIGN §12): a uniquely named database per test, created through
/// the fixture's role (it has CREATEDB) and dropped afterwards.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStoreTests(PostgresFixture server) : StoreContract
{
    private readonly List<string> _databases = [];

    protected override StorageProvider Provider => StorageProvider.Postgres;

    [Fact]
    public async Task Two_stores_initializing_one_fresh_database_concurrently_both_succeed()
    {
        var connectionString = await CreateDatabaseAsync(Ct);
        var first = NodeStores.Create(StorageProvider.Postgres, connectionString);
        var second = NodeStores.Create(StorageProvider.Postgres, connectionString);
        await using var firstDatabase = first.Database;
        await using var secondDatabase = second.Database;

        await Task.WhenAll(first.Database.InitializeAsync(Ct), second.Database.InitializeAsync(Ct));

        Assert.Equal(0, await first.Inbox.CountAsync(Ct));
        Assert.Empty(await second.Sent.CountByStateAsync(Ct));
    }

    [Fact]
    public async Task The_inbox_poll_reads_pending_rows_through_their_partial_index_not_the_whole_table()
    {
        var plan = await PlanAsync(Gateway.Service.Inbox.InboxStore.PendingQuery, [("max", 50)]);

        Assert.Contains("ix_inbound_pending", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_queue_summary_reads_through_its_indexes_so_the_delivered_history_does_not_make_it_slower()
    {
        var plan = await PlanAsync(Gateway.Service.Operations.OperationsStore.OpenStatesQuery, []) + await PlanAsync(Gateway.Service.Operations.OperationsStore.DeliveriesQuery, [("day", 0L)]);

        Assert.Contains("ix_outbound_open", plan, StringComparison.Ordinal);
        Assert.Contains("ix_outbound_peer_delivered", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    /// <summary>The plan PostgreSQL chooses when it may not scan a table sequentially (an empty table would be scanned whatever the indexes).</summary>
    private async Task<string> PlanAsync(string query, (string Name, object Value)[] parameters)
    {
        var connectionString = await CreateDatabaseAsync(Ct);
        await using (var database = NodeStores.Create(StorageProvider.Postgres, connectionString).Database)
        {
            await database.InitializeAsync(Ct);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using (var noSeqScan = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await noSeqScan.ExecuteNonQueryAsync(Ct);
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + query, connection);
        foreach (var (name, value) in parameters)
        {
            explain.Parameters.AddWithValue(name, value);
        }

        var plan = new System.Text.StringBuilder();
        await using var reader = await explain.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            plan.AppendLine(reader.GetString(0));
        }

        return plan.ToString();
    }

    protected override async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "gateway_store_" + Guid.NewGuid().ToString("N");
        await AdminAsync($"CREATE DATABASE {name}", cancellationToken);
        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Another session's transaction holding SHARE locks on the tables the store writes and the audit chain's advisory
    /// lock: every insert, update and audit append waits for it; reads do not.
    /// </summary>
    protected override async Task<IAsyncDisposable> HoldWritesAsync(CancellationToken cancellationToken)
    {
        // Not pooled: closing the session is what ends its transaction and releases the locks.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var hold = new NpgsqlCommand("BEGIN; LOCK TABLE outbound_messages, inbound_messages IN SHARE MODE; SELECT pg_advisory_xact_lock(7466224);", connection))
        {
            await hold.ExecuteNonQueryAsync(cancellationToken);
        }

        return connection;
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
