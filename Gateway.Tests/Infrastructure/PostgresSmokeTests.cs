using Npgsql;

namespace Gateway.Tests.Infrastructure;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresSmokeTests(PostgresFixture database)
{
    [Fact]
    public async Task A_row_inserted_into_a_temporary_table_reads_back_unchanged()
    {
        var table = $"gateway_smoke_{Guid.NewGuid():N}";
        var expected = $"payload-{Guid.NewGuid():N}";

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();

        await using (var create = new NpgsqlCommand($"CREATE TEMPORARY TABLE {table} (id integer PRIMARY KEY, payload text NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = new NpgsqlCommand($"INSERT INTO {table} (id, payload) VALUES (@id, @payload)", connection))
        {
            insert.Parameters.AddWithValue("id", 1);
            insert.Parameters.AddWithValue("payload", expected);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using var select = new NpgsqlCommand($"SELECT payload FROM {table} WHERE id = @id", connection);
        select.Parameters.AddWithValue("id", 1);
        var actual = await select.ExecuteScalarAsync();

        Assert.Equal(expected, actual);
    }
}
