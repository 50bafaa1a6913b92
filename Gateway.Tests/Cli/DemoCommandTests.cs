using System.Text.Json;

namespace Gateway.Tests.Cli;

[Trait("Category", "Cli")]
public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_with_exit_delivers_every_message_with_a_verified_receipt_and_writes_the_summary()
    {
        using var temp = new TempDirectory();

        var result = CliRunner.Run("demo", "--data-dir", temp.Path, "--exit");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("All messages delivered with verified receipts.", result.Output);
        using var summary = JsonDocument.Parse(File.ReadAllBytes(temp.File("demo-summary.json")));
        var messages = summary.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(4, messages.Count);
        Assert.All(messages, message =>
        {
            Assert.Equal("Delivered", message.GetProperty("state").GetString());
            Assert.True(message.GetProperty("receiptVerified").GetBoolean());
        });
        Assert.Equal(["EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE"], messages.SelectMany(m => new[] { m.GetProperty("from").GetString(), m.GetProperty("to").GetString() }).Distinct().Order());
    }
}
