namespace Gateway.Service.Persistence;

/// <summary>
/// Writes of one feature action that commit together or not at all — a message, its outbox row and its audit lines —
/// handed to <see cref="Database.CommitAsync"/>, which may put several units in one transaction (group commit).
/// A unit with a <see cref="Guard"/> applies only when the guard changes a row (an insert that may already be there):
/// otherwise nothing else of it is written, not even its attachments.
/// </summary>
public sealed class UnitOfWork
{
    private readonly List<SqlStatement> _statements = [];
    private readonly List<object> _attachments = [];

    public UnitOfWork(SqlStatement? guard = null)
    {
        Guard = guard;
    }

    public SqlStatement? Guard { get; }

    public IReadOnlyList<SqlStatement> Statements => _statements;

    public IReadOnlyList<object> Attachments => _attachments;

    public UnitOfWork Add(SqlStatement statement)
    {
        _statements.Add(statement);
        return this;
    }

    public UnitOfWork AddRange(IEnumerable<SqlStatement> statements)
    {
        _statements.AddRange(statements);
        return this;
    }

    /// <summary>An item for the commit participants (an audit line), written with the unit.</summary>
    public UnitOfWork Attach(object item)
    {
        _attachments.Add(item);
        return this;
    }

    public UnitOfWork AttachRange(IEnumerable<object> items)
    {
        _attachments.AddRange(items);
        return this;
    }
}
