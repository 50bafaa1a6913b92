using System.Text.Json;
using Gateway.Testing.Nodes;
using Gateway.Testing.Ports;
using Gateway.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Gateway.Tests.Cli;

/// <summary>
/// <c>demo --exit</c> as a user runs it: the built gateway in its own process, once on the embedded defaults and
/// once with RABBITMQ_URI / POSTGRES_CONNECTION set. The whole story must hold: consent, anonymous consultation,
/// a referral minimised per recipient, answers, withdrawal, confirmed erasure and 410 on both recipients.
/// </summary>
[Collection(BrokerAndDatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DemoProcessTests(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    private const string Sender = "EE-SKA";
    private const string ContactPoint = "FI-NRM";
    private const string Shelter = "LV-NGO-SAFEHOUSE";

    private static readonly Dictionary<string, string?> EmbeddedDefaults = new() { ["RABBITMQ_URI"] = null, ["POSTGRES_CONNECTION"] = null };

    [Fact]
    public async Task Demo_on_the_embedded_defaults_runs_the_whole_scenario_and_passes_every_check()
    {
        using var temp = new TempDirectory();

        var (exitCode, output) = await RunDemoAsync(temp.Path, EmbeddedDefaults);

        Assert.True(exitCode == 0, output);
        Assert.Contains("(Sqlite, in-memory transport)", output);
        Assert.Contains("All checks passed", output);
        AssertScenario(temp.File("demo-summary.json"));
        AssertNoPersonalValue(output, temp.File("demo-summary.json"));
    }

    [Fact]
    public async Task Demo_with_RabbitMQ_and_PostgreSQL_set_runs_the_whole_scenario_and_passes_every_check()
    {
        using var temp = new TempDirectory();

        var (exitCode, output) = await RunDemoAsync(temp.Path, new Dictionary<string, string?>
        {
            ["RABBITMQ_URI"] = rabbit.BrokerUri.ToString(),
            ["POSTGRES_CONNECTION"] = postgres.ConnectionString,
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("(Postgres, RabbitMQ)", output);
        Assert.Contains("All checks passed", output);
        AssertScenario(temp.File("demo-summary.json"));
        AssertNoPersonalValue(output, temp.File("demo-summary.json"));
    }

    [Fact]
    public async Task Demo_run_again_on_a_data_directory_with_an_older_schema_database_keeps_the_PKI_and_starts_fresh()
    {
        using var temp = new TempDirectory();
        var basePort = FreePorts.FindBase(6);
        var (firstExit, firstOutput) = await RunDemoAsync(temp.Path, EmbeddedDefaults, basePort);
        Assert.True(firstExit == 0, firstOutput);
        WriteDatabaseOfSchema(Path.Combine(temp.Path, Sender), version: 1);

        var (exitCode, output) = await RunDemoAsync(temp.Path, EmbeddedDefaults, basePort);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"using the development PKI in {Path.Combine(temp.Path, "pki")}", output);
        AssertScenario(temp.File("demo-summary.json"));
    }

    private static void AssertScenario(string path)
    {
        using var summary = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = summary.RootElement;
        var messages = root.GetProperty("messages").EnumerateArray().ToList();

        Assert.Equal(
            [
                $"AnonymousConsultation {Sender} → {ContactPoint}",
                $"ReferralRequest {Sender} → {ContactPoint}",
                $"ReferralRequest {Sender} → {Shelter}",
                $"ReferralAcknowledgement {ContactPoint} → {Sender}",
                $"AdmissionDecision {ContactPoint} → {Sender}",
                $"AdmissionDecision {Shelter} → {Sender}",
                $"ConsentWithdrawn {Sender} → {ContactPoint}",
                $"ConsentWithdrawn {Sender} → {Shelter}",
                $"ErasureConfirmed {ContactPoint} → {Sender}",
                $"ErasureConfirmed {Shelter} → {Sender}",
            ],
            messages.Select(message => $"{Text(message, "messageType")} {Text(message, "from")} → {Text(message, "to")}"));
        Assert.All(messages, message =>
        {
            Assert.Equal("Delivered", Text(message, "state"));
            Assert.True(message.GetProperty("receiptVerified").GetBoolean());
        });

        var consultation = Single(messages, "AnonymousConsultation", ContactPoint);
        Assert.Equal("Delivered", Text(consultation, "state"));

        var contactPoint = Single(messages, "ReferralRequest", ContactPoint);
        Assert.Equal("contact-point", Text(contactPoint, "disclosureProfile"));
        Assert.Contains("prs_Birthdate", DisclosedFields(contactPoint));
        Assert.Contains("prs_IdentityNumber", DisclosedFields(contactPoint));

        var shelter = Single(messages, "ReferralRequest", Shelter);
        var shelterFields = DisclosedFields(shelter);
        Assert.Equal("ngo-shelter", Text(shelter, "disclosureProfile"));
        Assert.Contains("prs_FirstName", shelterFields);
        Assert.Contains("prs_AgeBand", shelterFields);
        Assert.DoesNotContain("prs_Birthdate", shelterFields);
        Assert.DoesNotContain("prs_IdentityNumber", shelterFields);
        Assert.DoesNotContain("prs_SecondName", shelterFields);
        Assert.DoesNotContain(shelterFields, field => field.StartsWith("vic_", StringComparison.Ordinal));

        // Residence: the whole block to FI-NRM; to the shelter only the counselling flag and the reflection period's end.
        Assert.Equal(
            ["residence.internationalProtection", "residence.legalCounsellingNeeded", "residence.reflectionPeriodEnd", "residence.status"],
            DisclosedFields(contactPoint).Where(IsResidence).Order(StringComparer.Ordinal));
        Assert.Equal(["residence.legalCounsellingNeeded", "residence.reflectionPeriodEnd"], shelterFields.Where(IsResidence).Order(StringComparer.Ordinal));
        var residence = root.GetProperty("residence").EnumerateArray().ToDictionary(entry => Text(entry, "recipient")!, entry => entry);
        Assert.Equal(["residence.legalCounsellingNeeded", "residence.reflectionPeriodEnd"], Names(residence[Shelter], "received"));
        Assert.Equal(["residence.internationalProtection", "residence.status"], Names(residence[Shelter], "withheld"));
        Assert.Empty(Names(residence[ContactPoint], "withheld"));
        Assert.Contains("Residence", Names(root.GetProperty("consent"), "categories"));

        var consent = root.GetProperty("consent");
        Assert.True(consent.GetProperty("withdrawn").GetBoolean());
        var erasures = consent.GetProperty("erasures").EnumerateArray().ToList();
        Assert.Equal([ContactPoint, Shelter], erasures.Select(erasure => Text(erasure, "peer")).Order());
        Assert.All(erasures, erasure => Assert.True(erasure.GetProperty("confirmed").GetBoolean()));

        var erasureVerified = root.GetProperty("erasureVerified");
        Assert.True(erasureVerified.GetProperty(ContactPoint).GetBoolean());
        Assert.True(erasureVerified.GetProperty(Shelter).GetBoolean());
    }

    /// <summary>Every personal value of the demo's case starts with SYNTHETIC, except the birth date.</summary>
    private static void AssertNoPersonalValue(string output, string summaryPath)
    {
        var summary = File.ReadAllText(summaryPath);
        foreach (var value in new[] { "SYNTHETIC", "1999-04-01" })
        {
            Assert.DoesNotContain(value, output, StringComparison.Ordinal);
            Assert.DoesNotContain(value, summary, StringComparison.Ordinal);
        }
    }

    private static JsonElement Single(List<JsonElement> messages, string messageType, string to) =>
        Assert.Single(messages, message => Text(message, "messageType") == messageType && Text(message, "to") == to);

    private static List<string> DisclosedFields(JsonElement message) =>
        [.. message.GetProperty("disclosedFields").EnumerateArray().Select(field => field.GetString()!)];

    private static string? Text(JsonElement element, string property) => element.GetProperty(property).GetString();

    private static List<string> Names(JsonElement element, string property) => [.. element.GetProperty(property).EnumerateArray().Select(name => name.GetString()!)];

    private static bool IsResidence(string field) => field.StartsWith("residence.", StringComparison.Ordinal);

    /// <summary>A node folder as an older gateway left it: a database the current gateway refuses to open.</summary>
    private static void WriteDatabaseOfSchema(string nodeFolder, int version)
    {
        foreach (var file in Directory.GetFiles(nodeFolder, "gateway.db*"))
        {
            File.Delete(file);
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(nodeFolder, "gateway.db"), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE gateway_schema (version INTEGER NOT NULL); INSERT INTO gateway_schema (version) VALUES ({version});";
        command.ExecuteNonQuery();
    }

    private static async Task<(int ExitCode, string Output)> RunDemoAsync(string dataDirectory, IReadOnlyDictionary<string, string?> environment, int? basePort = null)
    {
        using var process = GatewayProcess.Start(environment, "demo", "--data-dir", dataDirectory, "--base-port", (basePort ?? FreePorts.FindBase(6)).ToString(), "--exit");
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
