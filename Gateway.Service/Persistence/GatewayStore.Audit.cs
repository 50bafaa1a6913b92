using System.Data.Common;

namespace Gateway.Service.Persistence;

/// <summary>
/// The audit log (DESIGN §10): append-only and hash-chained — each line holds the hash of the one before, so a line
/// changed, removed or inserted afterwards breaks the chain at that point — with signed checkpoints.
/// </summary>
public sealed partial class GatewayStore
{
    /// <summary>Appends a line at the end of the chain. Appends are serialised (SQLite: an immediate transaction; PostgreSQL: an advisory lock).</summary>
    public async Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var chained = await AppendAuditAsync(connection, transaction, [entry], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return chained[0];
    }

    /// <summary>
    /// Appends the lines in order inside the caller's transaction, so they commit with what they record; the chain's
    /// lock is taken and its head read once for all of them.
    /// </summary>
    private async Task<IReadOnlyList<AuditEntry>> AppendAuditAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        if (_dialect.AuditLockSql.Length > 0)
        {
            await ExecuteAsync(connection, transaction, _dialect.AuditLockSql, cancellationToken);
        }

        long previousSequence = 0;
        var previousHash = AuditChain.Genesis;
        await using (var last = Command(connection, transaction, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        await using (var reader = await last.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                previousSequence = reader.GetInt64(0);
                previousHash = reader.GetString(1);
            }
        }

        var chained = new List<AuditEntry>(entries.Count);
        foreach (var entry in entries)
        {
            var line = entry with { Sequence = previousSequence + 1, PreviousHash = previousHash };
            line = line with { Hash = AuditChain.HashOf(line) };
            chained.Add(line);
            (previousSequence, previousHash) = (line.Sequence, line.Hash);
        }

        await ExecuteAllAsync(connection, transaction, [.. chained.Select(line => new Statement("""
            INSERT INTO audit_log (seq, at, actor, action, message_id, peer_id, conversation_id, detail, prev_hash, hash)
            VALUES (@seq, @at, @actor, @action, @message, @peer, @conversation, @detail, @prev, @hash)
            """,
            [("seq", line.Sequence), ("at", Ms(line.At)), ("actor", line.Actor), ("action", line.Action), ("message", line.MessageId?.ToString()),
            ("peer", line.PeerId), ("conversation", line.ConversationId), ("detail", line.Detail), ("prev", line.PreviousHash), ("hash", line.Hash)]))],
            cancellationToken);
        return chained;
    }

    /// <summary>Lines in order, optionally only those of one action.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? action, int max, CancellationToken cancellationToken) =>
        await ListAuditAsync(action, afterSequence: 0, max, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? action, long afterSequence, int max, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            SELECT seq, at, actor, action, message_id, peer_id, conversation_id, detail, prev_hash, hash FROM audit_log
            WHERE seq > @after {(action is null ? string.Empty : "AND action = @action")} ORDER BY seq LIMIT @max
            """, ("after", afterSequence), ("action", action ?? string.Empty), ("max", max));
        return await ReadAllAsync(command, ReadAudit, cancellationToken);
    }

    /// <summary>The last line of the chain, or null when the log is empty.</summary>
    public Task<AuditEntry?> LastAuditAsync(CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT seq, at, actor, action, message_id, peer_id, conversation_id, detail, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            ReadAudit, cancellationToken);

    public async Task AddAuditCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "INSERT INTO audit_checkpoints (seq, hash, at, signature) VALUES (@seq, @hash, @at, @signature) ON CONFLICT (seq) DO NOTHING",
            cancellationToken, ("seq", checkpoint.Sequence), ("hash", checkpoint.Hash), ("at", Ms(checkpoint.At)), ("signature", checkpoint.Signature));
    }

    public async Task<IReadOnlyList<AuditCheckpoint>> ListAuditCheckpointsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT seq, hash, at, signature FROM audit_checkpoints ORDER BY seq");
        return await ReadAllAsync(command, reader => new AuditCheckpoint(reader.GetInt64(0), reader.GetString(1), FromMs(reader.GetInt64(2)), (byte[])reader.GetValue(3)), cancellationToken);
    }

    private static AuditEntry ReadAudit(DbDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        At = FromMs(reader.GetInt64(1)),
        Actor = reader.GetString(2),
        Action = reader.GetString(3),
        MessageId = reader.IsDBNull(4) ? null : Guid.Parse(reader.GetString(4)),
        PeerId = reader.IsDBNull(5) ? null : reader.GetString(5),
        ConversationId = reader.IsDBNull(6) ? null : reader.GetString(6),
        Detail = reader.IsDBNull(7) ? null : reader.GetString(7),
        PreviousHash = reader.GetString(8),
        Hash = reader.GetString(9),
    };
}
