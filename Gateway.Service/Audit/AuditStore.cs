using System.Data.Common;
using Gateway.Service.Persistence;

namespace Gateway.Service.Audit;

/// <summary>
/// The audit log's table (DESIGN §10): append-only and hash-chained — each line holds the hash of the one before, so a
/// line changed, removed or inserted afterwards breaks the chain at that point — with signed checkpoints. Lines are
/// appended by the <see cref="AuditTrail"/> inside the transaction of what they record.
/// </summary>
public sealed class AuditStore(Database database)
{
    private const string Columns = "seq, at, actor, action, message_id, peer_id, conversation_id, detail, prev_hash, hash";

    /// <summary>Appends a line at the end of the chain in a transaction of its own.</summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var transaction = await database.BeginAsync(cancellationToken);
        transaction.Attach(entry);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Lines in order, optionally only those of one action.</summary>
    public Task<IReadOnlyList<AuditEntry>> ListAsync(string? action, int max, CancellationToken cancellationToken) =>
        ListAsync(action, afterSequence: 0, max, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAsync(string? action, long afterSequence, int max, CancellationToken cancellationToken) =>
        database.QueryAsync(
            $"SELECT {Columns} FROM audit_log WHERE seq > @after {(action is null ? string.Empty : "AND action = @action")} ORDER BY seq LIMIT @max",
            Read, cancellationToken, ("after", afterSequence), ("action", action ?? string.Empty), ("max", max));

    /// <summary>The lines about one case, of the given actions, in order (the read audit of a case).</summary>
    public Task<IReadOnlyList<AuditEntry>> ListForCaseAsync(string caseId, IReadOnlyCollection<string> actions, int max, CancellationToken cancellationToken) =>
        database.QueryAsync(
            $"SELECT {Columns} FROM audit_log WHERE conversation_id = @case AND action IN ({string.Join(", ", actions.Select((_, i) => $"@a{i}"))}) ORDER BY seq LIMIT @max",
            Read, cancellationToken, [("case", caseId), .. actions.Select((action, i) => ($"a{i}", (object?)action)), ("max", max)]);

    /// <summary>The last line of the chain, or null when the log is empty.</summary>
    public Task<AuditEntry?> LastAsync(CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM audit_log ORDER BY seq DESC LIMIT 1", Read, cancellationToken);

    public Task AddCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return database.ExecuteAsync(
            "INSERT INTO audit_checkpoints (seq, hash, at, signature) VALUES (@seq, @hash, @at, @signature) ON CONFLICT (seq) DO NOTHING",
            cancellationToken, ("seq", checkpoint.Sequence), ("hash", checkpoint.Hash), ("at", SqlStatement.Ms(checkpoint.At)), ("signature", checkpoint.Signature));
    }

    public Task<IReadOnlyList<AuditCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken) =>
        database.QueryAsync(
            "SELECT seq, hash, at, signature FROM audit_checkpoints ORDER BY seq",
            reader => new AuditCheckpoint(reader.GetInt64(0), reader.GetString(1), reader.Time(2), (byte[])reader.GetValue(3)), cancellationToken);

    internal static string SelectHead => $"SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

    internal static SqlStatement Insert(AuditEntry line) => new("""
        INSERT INTO audit_log (seq, at, actor, action, message_id, peer_id, conversation_id, detail, prev_hash, hash)
        VALUES (@seq, @at, @actor, @action, @message, @peer, @conversation, @detail, @prev, @hash)
        """,
        ("seq", line.Sequence), ("at", SqlStatement.Ms(line.At)), ("actor", line.Actor), ("action", line.Action), ("message", line.MessageId?.ToString()),
        ("peer", line.PeerId), ("conversation", line.ConversationId), ("detail", line.Detail), ("prev", line.PreviousHash), ("hash", line.Hash));

    private static AuditEntry Read(DbDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        At = reader.Time(1),
        Actor = reader.GetString(2),
        Action = reader.GetString(3),
        MessageId = reader.NullableGuid(4),
        PeerId = reader.NullableString(5),
        ConversationId = reader.NullableString(6),
        Detail = reader.NullableString(7),
        PreviousHash = reader.GetString(8),
        Hash = reader.GetString(9),
    };
}
