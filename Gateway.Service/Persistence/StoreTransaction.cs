using System.Data.Common;

namespace Gateway.Service.Persistence;

/// <summary>
/// One database transaction that features write into: their statements, and items for the commit participants (the
/// audit log's lines), which are written last, inside the same transaction, so what is recorded commits with its record.
/// </summary>
public sealed class StoreTransaction : IAsyncDisposable
{
    private readonly StoreDialect _dialect;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly IReadOnlyList<ICommitParticipant> _participants;
    private readonly List<object> _attachments = [];

    private StoreTransaction(StoreDialect dialect, DbConnection connection, DbTransaction transaction, IReadOnlyList<ICommitParticipant> participants)
    {
        _dialect = dialect;
        _connection = connection;
        _transaction = transaction;
        _participants = participants;
    }

    internal static async Task<StoreTransaction> BeginAsync(StoreDialect dialect, IReadOnlyList<ICommitParticipant> participants, CancellationToken cancellationToken)
    {
        var connection = await dialect.OpenAsync(cancellationToken);
        try
        {
            return new StoreTransaction(dialect, connection, await connection.BeginTransactionAsync(cancellationToken), participants);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until no other transaction holds lock <paramref name="key"/>, and holds it until this one ends (see <see cref="StoreDialect.ExclusiveLockSql"/>).</summary>
    public async Task LockAsync(long key, CancellationToken cancellationToken)
    {
        var sql = _dialect.ExclusiveLockSql(key);
        if (sql.Length > 0)
        {
            await ExecuteAsync(sql, cancellationToken);
        }
    }

    /// <summary>Holds lock <paramref name="key"/> shared until this transaction ends: it waits only for an exclusive holder.</summary>
    public async Task LockSharedAsync(long key, CancellationToken cancellationToken)
    {
        var sql = _dialect.SharedLockSql(key);
        if (sql.Length > 0)
        {
            await ExecuteAsync(sql, cancellationToken);
        }
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = new SqlStatement(sql, parameters).ToCommand(_connection, _transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = new SqlStatement(sql, parameters).ToCommand(_connection, _transaction);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = new SqlStatement(sql, parameters).ToCommand(_connection, _transaction);
        return await Database.ReadAllAsync(command, read, cancellationToken);
    }

    /// <summary>
    /// Runs the statements in order and returns each one's affected rows: in one round trip where the provider batches
    /// (Npgsql), one after another where it does not (SQLite, in-process anyway).
    /// </summary>
    public async Task<int[]> ExecuteAllAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        var affected = new int[statements.Count];
        if (statements.Count == 0)
        {
            return affected;
        }

        if (!_connection.CanCreateBatch)
        {
            for (var i = 0; i < statements.Count; i++)
            {
                await using var command = statements[i].ToCommand(_connection, _transaction);
                affected[i] = await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return affected;
        }

        await using var batch = Batch(statements);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < statements.Count; i++)
        {
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return affected;
    }

    /// <summary>Like <see cref="ExecuteAllAsync"/> for statements that return rows: the first row of each, or null.</summary>
    public async Task<T?[]> QueryFirstOfEachAsync<T>(IReadOnlyList<SqlStatement> statements, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var rows = new T?[statements.Count];
        if (statements.Count == 0)
        {
            return rows;
        }

        if (!_connection.CanCreateBatch)
        {
            for (var i = 0; i < statements.Count; i++)
            {
                await using var command = statements[i].ToCommand(_connection, _transaction);
                await using var single = await command.ExecuteReaderAsync(cancellationToken);
                rows[i] = await single.ReadAsync(cancellationToken) ? read(single) : null;
            }

            return rows;
        }

        await using var batch = Batch(statements);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; i < statements.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(cancellationToken))
            {
                throw new InvalidOperationException($"the batch returned {i} results for {statements.Count} statements");
            }

            rows[i] = await reader.ReadAsync(cancellationToken) ? read(reader) : null;
        }

        return rows;
    }

    /// <summary>Hands <paramref name="item"/> to the commit participants (an audit line, say): written just before the commit.</summary>
    public void Attach(object item) => _attachments.Add(item);

    public void AttachAll(IEnumerable<object> items) => _attachments.AddRange(items);

    /// <summary>Lets every participant write what was attached, then commits.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_attachments.Count > 0)
        {
            foreach (var participant in _participants)
            {
                await participant.BeforeCommitAsync(this, _attachments, cancellationToken);
            }
        }

        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private DbBatch Batch(IReadOnlyList<SqlStatement> statements)
    {
        var batch = _connection.CreateBatch();
        batch.Transaction = _transaction;
        foreach (var statement in statements)
        {
            statement.AddTo(batch);
        }

        return batch;
    }
}
