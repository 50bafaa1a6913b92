using System.Diagnostics;
using System.Text.Json;
using Gateway.Tests.Federation;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Cli;

/// <summary>
/// <c>demo --exit</c> as a user runs it: the built gateway in its own process, once on the embedded defaults and
/// once with RABBITMQ_URI / POSTGRES_CONNECTION set.
/// </summary>
[Collection(BrokerAndDatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DemoProcessTests(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    [Fact]
    public async Task Demo_on_the_embedded_defaults_delivers_every_message_with_a_verified_receipt()
    {
        using var temp = new TempDirectory();

        var (exitCode, output) = await RunDemoAsync(temp.Path, new Dictionary<string, string?> { ["RABBITMQ_URI"] = null, ["POSTGRES_CONNECTION"] = null });

        Assert.True(exitCode == 0, output);
        Assert.Contains("(Sqlite, in-memory transport)", output);
        AssertSummaryAllDelivered(temp.File("demo-summary.json"));
    }

    [Fact]
    public async Task Demo_with_RabbitMQ_and_PostgreSQL_set_delivers_every_message_with_a_verified_receipt()
    {
        using var temp = new TempDirectory();

        var (exitCode, output) = await RunDemoAsync(temp.Path, new Dictionary<string, string?>
        {
            ["RABBITMQ_URI"] = rabbit.BrokerUri.ToString(),
            ["POSTGRES_CONNECTION"] = postgres.ConnectionString,
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("(Postgres, RabbitMQ)", output);
        AssertSummaryAllDelivered(temp.File("demo-summary.json"));
    }

    private static void AssertSummaryAllDelivered(string path)
    {
        using var summary = JsonDocument.Parse(File.ReadAllBytes(path));
        var messages = summary.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(5, messages.Count);
        Assert.All(messages, message =>
        {
            Assert.Equal("Delivered", message.GetProperty("state").GetString());
            Assert.True(message.GetProperty("receiptVerified").GetBoolean());
        });
        Assert.Equal(["EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE"], messages.SelectMany(m => new[] { m.GetProperty("from").GetString(), m.GetProperty("to").GetString() }).Distinct().Order());
    }

    private static async Task<(int ExitCode, string Output)> RunDemoAsync(string dataDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        using var process = GatewayProcess.Start(environment, "demo", "--data-dir", dataDirectory, "--base-port", FreePorts.FindBase(6).ToString(), "--exit");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("demo did not finish within 3 minutes:\n" + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
