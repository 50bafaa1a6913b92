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

    /// <summary>A database name for a node id: <c>prefix_ee_ska</c>.</summary>
    public static string NameFor(string prefix, string nodeId) =>
        $"{prefix}_{new string(nodeId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray())}";
}
