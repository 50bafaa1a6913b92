using Gateway.Service.Persistence.Schema;

using System.Data.Common;

namespace Gateway.Service.Persistence;

/// <summary>
/// The node's database, as every feature reaches it (DESIGN §9): connections, transactions, the schema and its
/// migrations, and group commit of units of work. One implementation for SQLite and PostgreSQL; the SQL of each
/// table lives with the feature that owns it.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    /// <summary>Most units in one transaction; the rest go into the next.</summary>
    internal const int MaxGroupedWrites = 64;

    private readonly StoreDialect _dialect;
    private readonly IReadOnlyList<ICommitParticipant> _participants;
    private readonly GroupCommit<UnitOfWork, bool> _units;

    public Database(StorageProvider provider, string connectionString, IEnumerable<ICommitParticipant> participants, int maxGroupedWrites = MaxGroupedWrites)
    {
        _dialect = StoreDialect.Create(provider, connectionString);
        _participants = [.. participants];
        _units = new GroupCommit<UnitOfWork, bool>(CommitTogetherAsync, maxGroupedWrites);
    }

    public StorageProvider Provider => _dialect.Provider;

    /// <summary>Units waiting for the next transaction (tests watch it to know a group has formed).</summary>
    internal int QueuedUnits => _units.Queued;

    /// <summary>Transactions that committed units of work, since this database object was made.</summary>
    internal long UnitTransactions => _units.Transactions;

    /// <summary>Applies the schema migrations this database lacks (<see cref="SchemaMigrator"/>).</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => new SchemaMigrator(_dialect).MigrateAsync(cancellationToken);

    public ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => _dialect.OpenAsync(cancellationToken);

    public Task<StoreTransaction> BeginAsync(CancellationToken cancellationToken) => StoreTransaction.BeginAsync(_dialect, _participants, cancellationToken);

    /// <summary>A unique-constraint violation on <paramref name="column"/> of <paramref name="table"/>, and not on another constraint.</summary>
    public bool IsUniqueViolation(DbException exception, string table, string column) => _dialect.IsUniqueViolation(exception, table, column);

    /// <summary>
    /// Commits the unit, possibly in one transaction with others that arrived meanwhile; true when it applied (its
    /// guard, if any, changed a row). The caller is answered only after the transaction holding its unit committed.
    /// </summary>
    public Task<bool> CommitAsync(UnitOfWork unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return _units.WriteAsync(unit, cancellationToken);
    }

    /// <summary>After an erasure committed: on SQLite, checkpoints the WAL and truncates it (see <see cref="StoreDialect.AfterErasureSql"/>).</summary>
    public async Task CompactAfterErasureAsync(CancellationToken cancellationToken)
    {
        if (_dialect.AfterErasureSql.Length > 0)
        {
            await ExecuteAsync(_dialect.AfterErasureSql, cancellationToken);
        }
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlStatement(sql, parameters).ToCommand(connection, null);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlStatement(sql, parameters).ToCommand(connection, null);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<T?> QuerySingleAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlStatement(sql, parameters).ToCommand(connection, null);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlStatement(sql, parameters).ToCommand(connection, null);
        return await ReadAllAsync(command, read, cancellationToken);
    }

    /// <summary><see cref="StoreTransaction.ExecuteAllAsync"/> in a transaction of its own.</summary>
    public async Task<int[]> ExecuteInTransactionAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return [];
        }

        await using var transaction = await BeginAsync(cancellationToken);
        var affected = await transaction.ExecuteAllAsync(statements, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return affected;
    }

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    internal static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Guards first (one round trip), then the statements of the units that apply (one), then the participants, one commit.</summary>
    private async Task<bool[]> CommitTogetherAsync(IReadOnlyList<UnitOfWork> units, CancellationToken cancellationToken)
    {
        await using var transaction = await BeginAsync(cancellationToken);
        var applied = new bool[units.Count];
        var guarded = units.Select((unit, i) => (unit.Guard, i)).Where(pair => pair.Guard is not null).ToList();
        var guardResults = await transaction.ExecuteAllAsync([.. guarded.Select(pair => pair.Guard!.Value)], cancellationToken);
        for (var i = 0; i < units.Count; i++)
        {
            applied[i] = units[i].Guard is null;
        }

        for (var g = 0; g < guarded.Count; g++)
        {
            applied[guarded[g].i] = guardResults[g] == 1;
        }

        await transaction.ExecuteAllAsync([.. units.Where((_, i) => applied[i]).SelectMany(unit => unit.Statements)], cancellationToken);
        transaction.AttachAll(units.Where((_, i) => applied[i]).SelectMany(unit => unit.Attachments));
        await transaction.CommitAsync(cancellationToken);
        return applied;
    }
}
