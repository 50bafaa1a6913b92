using Gateway.Service.Persistence;
using Microsoft.Data.Sqlite;

namespace Gateway.Tests.Persistence;

/// <summary>The store contract on SQLite, the embedded default: a fresh database file per test, removed afterwards.</summary>
[Trait("Category", "Store")]
public sealed class SqliteStoreTests : StoreContract
{
    // A folder rather than a bare file: WAL mode leaves -wal and -shm files beside the database.
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gateway-store-" + Guid.NewGuid().ToString("N"));

    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "gateway.db") }.ToString();
        return Task.FromResult(connectionString);
    }

    /// <summary>An immediate transaction on another connection: every other writer waits for it (busy timeout).</summary>
    protected override async Task<IAsyncDisposable> HoldWritesAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(cancellationToken);
        }

        return new Held(connection);
    }

    private sealed class Held(SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var rollback = connection.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }

    protected override Task DeleteDatabasesAsync()
    {
        if (Directory.Exists(_directory))
        {
            // Pooled connections keep the file open; release them before removing it.
            using (var connection = new SqliteConnection(ConnectionString))
            {
                SqliteConnection.ClearPool(connection);
            }

            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}
