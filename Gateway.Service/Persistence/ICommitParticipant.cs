namespace Gateway.Service.Persistence;

/// <summary>
/// Writes something of its own into every transaction that carries items for it, right before the commit: the audit
/// log appends the lines attached to a transaction, once for a whole group of units (one lock, one read of the chain's head).
/// </summary>
public interface ICommitParticipant
{
    /// <param name="attachments">Everything attached to the transaction; a participant takes the items of its own type.</param>
    Task BeforeCommitAsync(StoreTransaction transaction, IReadOnlyList<object> attachments, CancellationToken cancellationToken);
}
