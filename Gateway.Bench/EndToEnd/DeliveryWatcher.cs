using System.Collections.Concurrent;
using Npgsql;

namespace Gateway.Bench.EndToEnd;

/// <summary>
/// Tells a closed-loop client when its message has settled (Delivered — which the sender records only with a verified
/// receipt — Failed or Cancelled), by polling the sender's outbound_messages for the outstanding ids every 25 ms:
/// one query for every waiting client, not one per client (its cost shows in the sender database's backends).
/// </summary>
internal sealed class DeliveryWatcher : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    private readonly NpgsqlDataSource _database;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<string>> _waiting = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public DeliveryWatcher(NpgsqlDataSource senderDatabase)
    {
        _database = senderDatabase;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The final state of the message: Delivered, Failed or Cancelled.</summary>
    public Task<string> SettledAsync(Guid messageId)
    {
        var settled = _waiting.GetOrAdd(messageId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        return settled.Task;
    }

    public void Forget(Guid messageId) => _waiting.TryRemove(messageId, out _);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var ids = _waiting.Keys.Select(id => id.ToString()).ToArray();
            if (ids.Length > 0)
            {
                try
                {
                    await using var command = _database.CreateCommand(
                        "SELECT message_id, state FROM outbound_messages WHERE message_id = ANY(@ids) AND state IN ('Delivered', 'Failed', 'Cancelled')");
                    command.Parameters.AddWithValue("ids", ids);
                    await using var reader = await command.ExecuteReaderAsync(_stop.Token);
                    while (await reader.ReadAsync(_stop.Token))
                    {
                        if (_waiting.TryRemove(Guid.Parse(reader.GetString(0)), out var settled))
                        {
                            settled.TrySetResult(reader.GetString(1));
                        }
                    }
                }
                catch (NpgsqlException exception)
                {
                    Console.Error.WriteLine($"e2e: delivery watcher: {exception.Message}");
                }
            }

            await Task.Delay(PollInterval, _stop.Token);
        }
    }
}
