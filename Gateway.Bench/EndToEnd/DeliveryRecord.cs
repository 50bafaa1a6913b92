using Npgsql;

namespace Gateway.Bench.EndToEnd;

/// <summary>What the sender's database says about messages of a phase: state, accepted at, delivered at (ms since the epoch).</summary>
internal sealed record DeliveryRecord(Guid MessageId, string State, long CreatedAtMs, long? DeliveredAtMs, int Attempts)
{
    public double? LatencyMs => DeliveredAtMs is { } delivered ? delivered - CreatedAtMs : null;

    public static async Task<IReadOnlyList<DeliveryRecord>> ReadAsync(NpgsqlDataSource database, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT message_id, state, created_at, delivered_at, attempts FROM outbound_messages WHERE message_id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", ids.Select(id => id.ToString()).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new DeliveryRecord(Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetInt32(4)));
        }

        return records;
    }

    /// <summary>How many of <paramref name="ids"/> the receiver holds (each at most once: message_id is its key).</summary>
    public static async Task<int> CountReceivedAsync(NpgsqlDataSource database, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT COUNT(*) FROM inbound_messages WHERE message_id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", ids.Select(id => id.ToString()).ToArray());
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
