using Gateway.Service.Audit;
using Gateway.Service.Persistence;
using Gateway.Testing.Persistence;
using Gateway.Tests.Cli;
using Gateway.Tests.Federation;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

using Gateway.Service.Referrals;

namespace Gateway.Tests.Audit;

/// <summary>
/// The audit log as evidence (DESIGN §10): a real node writes it while it works and signs checkpoints;
/// <c>gateway audit verify</c> (the real command line) accepts the untouched log and names the first entry that was
/// changed, removed, or rewritten behind a signed checkpoint.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AuditChainTests
{
    [Fact]
    public async Task An_untouched_log_verifies()
    {
        await using var node = await WrittenLogAsync();

        var result = Verify(node);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("intact", result.Output);
        Assert.Contains("1 signed checkpoints", result.Output);
    }

    [Fact]
    public async Task A_changed_entry_is_named_by_audit_verify()
    {
        await using var node = await WrittenLogAsync();

        await ExecuteAsync(node, "UPDATE audit_log SET detail = '{\"messageType\":\"SYNTHETIC-forged\"}' WHERE seq = 3");
        var result = Verify(node);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("BROKEN at entry 3", result.Error);
    }

    [Fact]
    public async Task A_removed_entry_is_named_by_audit_verify()
    {
        await using var node = await WrittenLogAsync();

        await ExecuteAsync(node, "DELETE FROM audit_log WHERE seq = 2");
        var result = Verify(node);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("BROKEN at entry 2", result.Error);
    }

    [Fact]
    public async Task A_chain_rewritten_consistently_up_to_a_signed_checkpoint_is_caught_by_the_checkpoint()
    {
        await using var node = await WrittenLogAsync();
        var entries = await node.Stores.Audit.ListAsync(null, 1000, CancellationToken.None);
        var checkpoint = (await node.Stores.Audit.ListCheckpointsAsync(CancellationToken.None)).Single();

        // Forge entry 2 and recompute every hash after it, as someone with write access to the table could.
        var previous = entries[0].Hash;
        foreach (var entry in entries.Skip(1))
        {
            var forged = entry with { PreviousHash = previous, Detail = entry.Sequence == 2 ? "{\"forged\":true}" : entry.Detail };
            forged = forged with { Hash = AuditChain.HashOf(forged) };
            await ExecuteAsync(node, "UPDATE audit_log SET detail = @detail, prev_hash = @prev, hash = @hash WHERE seq = @seq",
                ("detail", forged.Detail), ("prev", forged.PreviousHash), ("hash", forged.Hash), ("seq", forged.Sequence));
            previous = forged.Hash;
        }

        var result = Verify(node);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"BROKEN at entry {checkpoint.Sequence}", result.Error);
        Assert.Contains("checkpoint", result.Error);
    }

    private static CliResult Verify(StoppedNode node) =>
        CliRunner.Run("audit", "verify", "--pki", node.Federation.Pki, "--node", "EE-SKA", "--connection-string", node.Sender.Options.Storage.ConnectionString);

    /// <summary>EE-SKA sends a few messages (each leaves audit lines), signs a checkpoint, and stops.</summary>
    private static async Task<StoppedNode> WrittenLogAsync()
    {
        var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        for (var i = 0; i < 3; i++)
        {
            var sent = await sender.ConsultAsync("FI-NRM");
            await sender.WaitForStateAsync(sent.MessageId, DeliveryState.Delivered, TimeSpan.FromSeconds(30));
        }

        Assert.NotNull(await sender.Services.GetRequiredService<AuditCheckpointJob>().CheckpointAsync(CancellationToken.None));
        Assert.True((await sender.Stores.Audit.ListAsync(null, 100, CancellationToken.None)).Count >= 3);
        await sender.StopAsync();
        await receiver.StopAsync();
        return new StoppedNode(federation, sender);
    }

    private static async Task ExecuteAsync(StoppedNode node, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new SqliteConnection(node.Sender.Options.Storage.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private sealed record StoppedNode(TestFederation Federation, GatewayNode Sender) : IAsyncDisposable
    {
        public NodeStores Stores => Sender.Stores;

        public ValueTask DisposeAsync() => Federation.DisposeAsync();
    }
}
