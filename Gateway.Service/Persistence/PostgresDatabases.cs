using Npgsql;

namespace Gateway.Service.Persistence;

/// <summary>One database per node when several nodes share a PostgreSQL server (demo, tests).</summary>
public static class PostgresDatabases
{
    /// <summary>Creates <paramref name="database"/> if missing and returns a connection string for it.</summary>
    public static async Task<string> EnsureAsync(string serverConnectionString, string database, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString);
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                // Identifiers cannot be parameters; the name is ours (letters, digits, underscores), never user input.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                try
                {
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
                {
                    // Created concurrently by another node of the same run.
                }
            }
        }

        builder.Database = database;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Drops <paramref name="database"/> if it exists, ending our own leftover sessions (FORCE). An autovacuum worker
    /// on a database just written to cannot be ended by a non-superuser: it finishes within moments, so wait and retry.
    /// </summary>
    public static async Task DropAsync(string serverConnectionString, string database, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(serverConnectionString);
                await connection.OpenAsync(cancellationToken);

                // Identifiers cannot be parameters; the name is ours (letters, digits, underscores), never user input.
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken);
                return;
            }
            catch (PostgresException exception) when (attempt < 40
                && exception.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    /// <summary>A database name for a node id: <c>prefix_ee_ska</c>.</summary>
    public static string NameFor(string prefix, string nodeId) =>
        $"{prefix}_{new string(nodeId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray())}";
}
