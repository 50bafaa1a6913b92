using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gateway.Service.Persistence;

/// <summary>
/// The little that differs between SQLite and PostgreSQL here: how to connect, the binary column type, and how
/// concurrent schema creation is serialised. Everything else is the same SQL (times as Unix milliseconds).
/// </summary>
internal abstract class StoreDialect : IAsyncDisposable
{
    public abstract StorageProvider Provider { get; }

    public abstract string BinaryType { get; }

    /// <summary>An integer primary key the database numbers by itself.</summary>
    public abstract string AutoIncrementKey { get; }

    /// <summary>The query named a column that the table does not have (a database of an earlier schema).</summary>
    public abstract bool IsUndefinedColumn(DbException exception);

    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs once at start, before the schema transaction: settings that persist in the database.</summary>
    public abstract string DatabaseSettingsSql { get; }

    /// <summary>
    /// A statement that serialises the transactions taking lock <paramref name="key"/> until they end (PostgreSQL: an
    /// advisory transaction lock); empty on SQLite, whose write transactions are immediate and so one at a time already.
    /// </summary>
    public abstract string ExclusiveLockSql(long key);

    /// <summary>
    /// Run after an erasure committed, outside a transaction: SQLite copies the WAL into the database and truncates it,
    /// so the pages that held erased rows leave the WAL file too. PostgreSQL has nothing to run here.
    /// </summary>
    public abstract string AfterErasureSql { get; }

    /// <summary>Like <see cref="ExclusiveLockSql"/>, but any number of transactions may hold it at once; it excludes only the exclusive holder.</summary>
    public abstract string SharedLockSql(long key);

    /// <summary>A unique-constraint violation on <paramref name="column"/> of <paramref name="table"/>, and not on another constraint.</summary>
    public abstract bool IsUniqueViolation(DbException exception, string table, string column);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// The same few statements run for every message, so they are prepared once per connection (Npgsql's automatic
    /// preparation; PostgreSQL then skips parsing and planning them). Sessions set nothing that outlives a
    /// transaction, so a pooled connection needs no reset on return. Either can be set otherwise in the connection string.
    /// </summary>
    internal static string TunedForPostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!HasKey(builder, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!HasKey(builder, "No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private static bool HasKey(NpgsqlConnectionStringBuilder builder, string keyword) =>
        builder.Keys.Any(key => string.Equals(key.Replace(" ", string.Empty, StringComparison.Ordinal), keyword.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    public static StoreDialect Create(StorageProvider provider, string connectionString) => provider switch
    {
        StorageProvider.Postgres => new PostgresDialect(connectionString),
        _ => new SqliteDialect(connectionString),
    };

    private sealed class SqliteDialect(string connectionString) : StoreDialect
    {
        public override StorageProvider Provider => StorageProvider.Sqlite;

        public override string BinaryType => "BLOB";

        public override string AutoIncrementKey => "INTEGER PRIMARY KEY AUTOINCREMENT";

        public override bool IsUndefinedColumn(DbException exception) =>
            exception is SqliteException { SqliteErrorCode: 1 } sqlite && sqlite.Message.Contains("no such column", StringComparison.Ordinal);

        // WAL persists in the database file; it cannot be switched inside a transaction.
        public override string DatabaseSettingsSql => "PRAGMA journal_mode=WAL;";

        public override string ExclusiveLockSql(long key) => string.Empty;

        public override string SharedLockSql(long key) => string.Empty;

        public override string AfterErasureSql => "PRAGMA wal_checkpoint(TRUNCATE);";

        public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            // Per-connection settings; the journal mode is set once by DatabaseSettingsSql.
            // secure_delete: a row deleted or overwritten is zeroed on its page, not left in free space (DESIGN §15).
            pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA secure_delete=ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }

        // SQLITE_CONSTRAINT covers NOT NULL and CHECK too; the message names the column for UNIQUE.
        public override bool IsUniqueViolation(DbException exception, string table, string column) =>
            exception is SqliteException { SqliteErrorCode: 19 } sqlite
            && sqlite.Message.Contains($"UNIQUE constraint failed: {table}.{column}", StringComparison.Ordinal);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class PostgresDialect(string connectionString) : StoreDialect
    {
        private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(TunedForPostgres(connectionString));

        public override StorageProvider Provider => StorageProvider.Postgres;

        public override string BinaryType => "BYTEA";

        public override string AutoIncrementKey => "BIGSERIAL PRIMARY KEY";

        public override bool IsUndefinedColumn(DbException exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedColumn };

        public override string DatabaseSettingsSql => string.Empty;

        public override string ExclusiveLockSql(long key) => $"SELECT pg_advisory_xact_lock({key});";

        public override string SharedLockSql(long key) => $"SELECT pg_advisory_xact_lock_shared({key});";

        public override string AfterErasureSql => string.Empty;

        public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
            await _dataSource.OpenConnectionAsync(cancellationToken);

        public override bool IsUniqueViolation(DbException exception, string table, string column) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
            && postgres.ConstraintName == $"{table}_{column}_key";

        public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
    }
}
