using Gateway.Service.Persistence;

namespace Gateway.Service.Audit;

/// <summary>
/// Appends the audit lines attached to a transaction at its end, so they commit with what they record: the chain's
/// lock taken and its head read once for all of them (a whole group of units), then the lines in order.
/// </summary>
internal sealed class AuditTrail : ICommitParticipant
{
    /// <summary>Serialises appends to the chain (PostgreSQL advisory lock; SQLite's write transactions already are).</summary>
    private const long ChainLock = 7466224;

    public async Task BeforeCommitAsync(StoreTransaction transaction, IReadOnlyList<object> attachments, CancellationToken cancellationToken)
    {
        var entries = attachments.OfType<AuditEntry>().ToList();
        if (entries.Count == 0)
        {
            return;
        }

        await transaction.LockAsync(ChainLock, cancellationToken);

        var head = await transaction.QueryAsync(AuditStore.SelectHead, reader => (Sequence: reader.GetInt64(0), Hash: reader.GetString(1)), cancellationToken);
        var (previousSequence, previousHash) = head.Count == 1 ? head[0] : (0L, AuditChain.Genesis);
        var chained = new List<SqlStatement>(entries.Count);
        foreach (var entry in entries)
        {
            var line = entry with { Sequence = previousSequence + 1, PreviousHash = previousHash };
            line = line with { Hash = AuditChain.HashOf(line) };
            chained.Add(AuditStore.Insert(line));
            (previousSequence, previousHash) = (line.Sequence, line.Hash);
        }

        await transaction.ExecuteAllAsync(chained, cancellationToken);
    }
}
