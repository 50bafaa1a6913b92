using Gateway.Tests.Federation;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Node;

/// <summary>The CRL settings are judged at start (issue #18): a node never runs with a CRL it cannot apply or a grace period that would hide revocations.</summary>
[Trait("Category", "Peering")]
public sealed class RevocationOptionsTests
{
    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("7.00:00:01")]
    public async Task A_CRL_grace_period_outside_zero_to_seven_days_stops_the_node_at_start_naming_the_setting(string grace)
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("FI-NRM");
        options.Node.CrlGracePeriod = TimeSpan.Parse(grace, System.Globalization.CultureInfo.InvariantCulture);

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => federation.StartAsync(options));

        Assert.Contains("The gateway configuration is not valid: Gateway:CrlGracePeriod must be between 00:00:00 and 7.00:00:00", exception.Failures);
    }

    [Fact]
    public async Task A_CRL_file_that_holds_no_CRL_stops_the_node_at_start_naming_the_setting_and_the_file()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var crlFile = Path.Combine(federation.Directory, "ee.crl");
        await File.WriteAllTextAsync(crlFile, "not a CRL");
        var options = federation.OptionsFor("FI-NRM");
        options.Node.CrlFiles = [crlFile];

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => federation.StartAsync(options));

        Assert.Contains($"The gateway configuration is not valid: Gateway:CrlFiles:0 holds no CRL this node can use: {crlFile} is not a DER or PEM certificate revocation list", exception.Message);
    }
}
