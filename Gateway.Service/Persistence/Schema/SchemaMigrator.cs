using System.Data.Common;

namespace Gateway.Service.Persistence.Schema;

/// <summary>
/// Brings a database to <see cref="SchemaMigrations.Latest"/> at start: the migrations it lacks, in order, in one
/// transaction, and the version they reach in <c>gateway_schema</c>. Safe when two replicas of a node start at once:
/// the second waits for the first's lock and then finds nothing left to do.
/// </summary>
internal sealed class SchemaMigrator(StoreDialect dialect)
{
    /// <summary>The advisory lock of schema changes (PostgreSQL).</summary>
    private const long SchemaLock = 7466223;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        if (dialect.DatabaseSettingsSql.Length > 0)
        {
            await ExecuteAsync(connection, null, dialect.DatabaseSettingsSql, cancellationToken);
        }

        await RefuseUnversionedSchemaAsync(connection, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var lockSql = dialect.ExclusiveLockSql(SchemaLock);
        if (lockSql.Length > 0)
        {
            await ExecuteAsync(connection, transaction, lockSql, cancellationToken);
        }

        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS gateway_schema (version INTEGER NOT NULL)", cancellationToken);
        var current = await CurrentVersionAsync(connection, transaction, cancellationToken);
        if (current is { } found && found < SchemaMigrations.Baseline)
        {
            throw new InvalidOperationException($"the database has gateway schema {found}; this gateway upgrades from schema {SchemaMigrations.Baseline} on: point it at a new database (or data directory)");
        }

        if (current > SchemaMigrations.Latest)
        {
            throw new InvalidOperationException($"the database has gateway schema {current}, written by a newer gateway; this one knows schema {SchemaMigrations.Latest} at most");
        }

        foreach (var migration in SchemaMigrations.All.Where(migration => migration.Version > (current ?? 0)))
        {
            await ExecuteAsync(connection, transaction, migration.Sql.Replace("{blob}", dialect.BinaryType, StringComparison.Ordinal)
                .Replace("{autoincrement}", dialect.AutoIncrementKey, StringComparison.Ordinal), cancellationToken);
        }

        if (current is null)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO gateway_schema (version) VALUES (@version)", cancellationToken, ("version", SchemaMigrations.Latest));
        }
        else if (current < SchemaMigrations.Latest)
        {
            await ExecuteAsync(connection, transaction, "UPDATE gateway_schema SET version = @version", cancellationToken, ("version", SchemaMigrations.Latest));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int?> CurrentVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var read = new SqlStatement("SELECT MAX(version) FROM gateway_schema").ToCommand(connection, transaction);
        return await read.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? Convert.ToInt32(value) : null;
    }

    /// <summary>The first schema had no version table; its tables lack the consent columns.</summary>
    private async Task RefuseUnversionedSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, null, "SELECT consent_id FROM outbound_messages WHERE 1 = 0", cancellationToken);
        }
        catch (DbException exception) when (dialect.IsUndefinedColumn(exception))
        {
            throw new InvalidOperationException("the database was made by an earlier gateway schema: point the gateway at a new database (or data directory)", exception);
        }
        catch (DbException)
        {
            // No table yet: a new database.
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = new SqlStatement(sql, parameters).ToCommand(connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
