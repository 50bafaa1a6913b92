using Gateway.Service.Persistence;

namespace Gateway.Tests.Persistence;

/// <summary>The group-commit queue's own rules, with a stand-in for the transaction (the stores' contract tests run it on real databases).</summary>
[Trait("Category", "Store")]
public sealed class GroupCommitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Writes_queued_while_a_transaction_runs_share_the_next_one_and_each_gets_its_own_result()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var groups = new List<int>();
        var commit = new GroupCommit<int, int>(
            async (writes, _) =>
            {
                lock (groups)
                {
                    groups.Add(writes.Count);
                }

                await release.Task;
                return [.. writes.Select(write => write * 10)];
            },
            maxGroup: 64);

        var first = commit.WriteAsync(1, CancellationToken.None);
        await WaitUntilAsync(() => commit.Queued == 0);
        var rest = Enumerable.Range(2, 9).Select(write => commit.WriteAsync(write, CancellationToken.None)).ToList();
        await WaitUntilAsync(() => commit.Queued == 9);
        release.SetResult();

        Assert.Equal(10, await first.WaitAsync(Deadline));
        Assert.Equal(Enumerable.Range(2, 9).Select(write => write * 10), await Task.WhenAll(rest).WaitAsync(Deadline));
        Assert.Equal([1, 9], groups);
        Assert.Equal(2, commit.Transactions);
    }

    [Fact]
    public async Task After_a_failed_group_every_write_is_tried_alone_side_by_side_and_answered_on_its_own()
    {
        var holdFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aloneInFlight = 0;
        var allAloneAtOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = new GroupCommit<int, int>(
            async (writes, _) =>
            {
                if (writes is [0])
                {
                    await holdFirst.Task;
                    return [0];
                }

                if (writes.Count > 1)
                {
                    throw new InvalidOperationException("the group is refused");
                }

                // Each write alone waits until all four are in flight: only a side-by-side retry gets past this.
                if (Interlocked.Increment(ref aloneInFlight) == 4)
                {
                    allAloneAtOnce.SetResult();
                }

                await allAloneAtOnce.Task;
                return writes[0] == 3 ? throw new ArgumentException("write 3 is refused") : [writes[0] * 10];
            },
            maxGroup: 64);

        var first = commit.WriteAsync(0, CancellationToken.None);
        await WaitUntilAsync(() => commit.Queued == 0);
        var writes = Enumerable.Range(1, 4).Select(write => commit.WriteAsync(write, CancellationToken.None)).ToList();
        await WaitUntilAsync(() => commit.Queued == 4);
        holdFirst.SetResult();

        Assert.Equal(0, await first.WaitAsync(Deadline));
        Assert.Equal(10, await writes[0].WaitAsync(Deadline));
        Assert.Equal(20, await writes[1].WaitAsync(Deadline));
        await Assert.ThrowsAsync<ArgumentException>(() => writes[2].WaitAsync(Deadline));
        Assert.Equal(40, await writes[3].WaitAsync(Deadline));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
