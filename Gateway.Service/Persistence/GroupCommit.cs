using System.Collections.Concurrent;

namespace Gateway.Service.Persistence;

/// <summary>
/// Group commit: writes of one kind that arrive while the previous transaction runs are written together in the next
/// one (at most <paramref name="maxGroup"/>), by one writer at a time. Nothing waits for a timer: a lone write is
/// written at once. Each caller is answered only after the transaction holding its write committed. When a group's
/// transaction fails nothing of it was stored, and every write in it is tried again alone (side by side), so each
/// caller gets its own answer (one bad write does not fail the others). One writer means a group that waits (on a
/// row lock, on the database) holds up the writes queued behind it; the transactions are short, so that wait is too.
/// </summary>
/// <param name="writeTogether">Writes the group in one transaction and returns one result per write, in order.</param>
internal sealed class GroupCommit<TWrite, TResult>(Func<IReadOnlyList<TWrite>, CancellationToken, Task<TResult[]>> writeTogether, int maxGroup)
{
    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _writerRunning;
    private long _transactions;

    /// <summary>Writes waiting for the next transaction (tests watch it to know a group has formed).</summary>
    public int Queued => _queue.Count;

    /// <summary>Transactions committed so far.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Not abandoned on cancellation once queued: the caller learns whether its write committed.</summary>
    public Task<TResult> WriteAsync(TWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(write, cancellationToken);
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _writerRunning, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return pending.Done.Task;
    }

    /// <summary>Stops when the queue is empty and no write slipped in meanwhile.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            var group = new List<Pending>();
            while (group.Count < maxGroup && _queue.TryDequeue(out var next))
            {
                if (next.CancellationToken.IsCancellationRequested)
                {
                    next.Done.TrySetCanceled(next.CancellationToken);
                }
                else
                {
                    group.Add(next);
                }
            }

            if (group.Count > 0)
            {
                try
                {
                    await WriteGroupAsync(group);
                }
                catch (Exception exception)
                {
                    // WriteGroupAsync answers every write itself; this only keeps the writer alive if that ever fails.
                    foreach (var pending in group)
                    {
                        pending.Done.TrySetException(exception);
                    }
                }

                continue;
            }

            // A full fence between releasing the flag and looking at the queue: a write enqueued meanwhile is either
            // seen here or its caller sees the flag released and starts a writer.
            Interlocked.Exchange(ref _writerRunning, 0);
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _writerRunning, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async Task WriteGroupAsync(List<Pending> group)
    {
        if (group.Count > 1)
        {
            try
            {
                var results = await writeTogether([.. group.Select(pending => pending.Write)], CancellationToken.None);
                Interlocked.Increment(ref _transactions);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.TrySetResult(results[i]);
                }

                return;
            }
            catch (Exception)
            {
                // Nothing of the group was stored: each write again on its own, below.
            }
        }

        // Alone, and side by side (each on its own connection): when the database is slow or gone, every caller
        // hears so after one timeout, as when each write had its own transaction.
        await Task.WhenAll(group.Select(WriteAloneAsync));
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            var results = await writeTogether([pending.Write], pending.CancellationToken);
            Interlocked.Increment(ref _transactions);
            pending.Done.TrySetResult(results[0]);
        }
        catch (OperationCanceledException) when (pending.CancellationToken.IsCancellationRequested)
        {
            pending.Done.TrySetCanceled(pending.CancellationToken);
        }
        catch (Exception exception)
        {
            pending.Done.TrySetException(exception);
        }
    }

    private sealed class Pending(TWrite write, CancellationToken cancellationToken)
    {
        public TWrite Write { get; } = write;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
