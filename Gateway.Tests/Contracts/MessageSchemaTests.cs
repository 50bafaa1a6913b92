using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Service.Disclosure;
using Gateway.Testing.Repository;
using Gateway.Tests.Cli;
using Json.Schema;

namespace Gateway.Tests.Contracts;

[Trait("Category", "Contracts")]
public sealed class MessageSchemaTests
{
    private const string RegenerateCommand = "dotnet run --project Gateway.Service -- schemas export --out docs/schemas";

    private static readonly PayloadValidator Validator = new();

    public static TheoryData<string> MessageTypeNames => [.. MessageTypes.All];

    internal static JsonElement ReadExample(string messageType)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepositoryRoot.PathOf("docs", "examples", $"{messageType}.json")));
        return document.RootElement.Clone();
    }

    [Fact]
    public void Docs_schemas_are_exactly_what_schemas_export_generates_now()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("schemas", "export", "--out", temp.Path).ExitCode);
        var committed = RepositoryRoot.PathOf("docs", "schemas");

        var generatedNames = FileNames(temp.Path);
        var committedNames = Directory.Exists(committed) ? FileNames(committed) : [];
        Assert.True(
            generatedNames.SequenceEqual(committedNames, StringComparer.Ordinal),
            $"docs/schemas holds [{string.Join(", ", committedNames)}] but the generator writes [{string.Join(", ", generatedNames)}]: run `{RegenerateCommand}` and commit the result.");
        foreach (var name in generatedNames)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(temp.Path, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(committed, name))),
                $"docs/schemas/{name} differs from what the field catalogue generates now: run `{RegenerateCommand}` and commit the result.");
        }
    }

    [Fact]
    public void Schemas_export_writes_an_indented_schema_per_message_type_and_the_catalogue_as_UTF8_without_BOM()
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "new-folder");

        var result = CliRunner.Run("schemas", "export", "--out", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        Assert.Equal(
            [.. MessageTypes.All.Select(type => $"{type}.schema.json"), "field-catalogue.md"],
            FileNames(output).OrderBy(name => name == "field-catalogue.md").ThenBy(name => MessageTypes.All.ToList().IndexOf(name.Split('.')[0])));
        foreach (var name in FileNames(output))
        {
            var bytes = File.ReadAllBytes(Path.Combine(output, name));
            Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), $"{name} starts with a byte order mark");
            Assert.Equal((byte)'\n', bytes[^1]);
            Assert.DoesNotContain((byte)'\r', bytes);
        }

        foreach (var type in MessageTypes.All)
        {
            var text = File.ReadAllText(Path.Combine(output, $"{type}.schema.json"));
            Assert.StartsWith("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n", text);
            Assert.True(JsonNode.DeepEquals(MessageSchemas.For(type), JsonNode.Parse(text)), $"{type}.schema.json is not MessageSchemas.For({type})");
        }
    }

    [Fact]
    public void Field_catalogue_markdown_has_a_table_per_message_type_with_a_row_per_catalogued_field()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("schemas", "export", "--out", temp.Path).ExitCode);

        var markdown = File.ReadAllText(temp.File("field-catalogue.md"));

        foreach (var type in MessageTypes.All)
        {
            var section = markdown[(markdown.IndexOf($"\n## {type}\n", StringComparison.Ordinal) + 1)..];
            var next = section.IndexOf("\n## ", StringComparison.Ordinal);
            section = next < 0 ? section : section[..next];
            Assert.Contains("| path | kind | category | sensitivity | required | HTCDS | allowed values | description |", section);
            var rows = section.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)).ToList();
            Assert.Equal(FieldCatalogue.For(type).Select(field => $"`{field.Path}`"), rows.Select(row => row.Split(" | ")[0][2..]));
            foreach (var (field, row) in FieldCatalogue.For(type).Zip(rows))
            {
                var cells = row.Split(" | ");
                Assert.Equal([field.Kind.ToString(), field.Category.ToString(), field.Required ? "yes" : "", field.Htcds ? "yes" : ""], [cells[1], cells[2], cells[4], cells[5]]);
                Assert.All(field.Values ?? [], value => Assert.Contains($"`{value}`", cells[6]));
                Assert.Equal($"{field.Description} |", cells[7]);
            }
        }
    }

    [Fact]
    public void Schemas_export_without_out_exits_2_with_usage_and_writes_nothing()
    {
        var result = CliRunner.Run("schemas", "export");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out is required", result.Error);
        Assert.Contains("Usage: gateway schemas export --out DIR", result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void There_is_one_example_per_message_type_and_no_other()
    {
        var examples = Directory.GetFiles(RepositoryRoot.PathOf("docs", "examples"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(MessageTypes.All.Order(StringComparer.Ordinal), examples);
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Example_validates_against_its_schema_file_read_independently(string messageType)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(RepositoryRoot.PathOf("docs", "schemas", $"{messageType}.schema.json")));

        var result = schema.Evaluate(ReadExample(messageType), new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

        Assert.True(result.IsValid, $"docs/examples/{messageType}.json: " + string.Join("; ", (result.Details ?? [])
            .Where(detail => detail.Errors is not null)
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation} {error.Key}: {error.Value}"))));
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Example_is_accepted_by_the_payload_validator(string messageType)
    {
        var problems = Validator.Validate(messageType, ReadExample(messageType));

        Assert.True(problems is null, $"docs/examples/{messageType}.json: {string.Join("; ", problems ?? [])}");
    }

    public static TheoryData<string, string, string, string, string> Refusals => new()
    {
        // type, dotted path to set (or to remove, when the JSON is empty), its JSON, how the expected problem starts
        // (location, then keyword), and a value of the body that no problem may repeat
        { MessageTypes.AnonymousConsultation, "prs_FirstName", "\"SYNTHETIC-Leak\"", "/prs_FirstName: is not a field", "SYNTHETIC-Leak" },
        { MessageTypes.ReferralRequest, "child.guardian.nickname", "\"SYNTHETIC-Nick\"", "/child/guardian: has a property that is not a field", "SYNTHETIC-Nick" },
        // A property name that is not the catalogue's is the caller's own text (here a name): only its parent is named.
        { MessageTypes.ReferralRequest, "child.SYNTHETIC-Kalju Kask", "\"x\"", "/child: has a property that is not a field", "Kalju" },
        { MessageTypes.AdmissionDecision, "reasonCode", "\"NotInJurisdiction\"", "/reasonCode: enum", "NotInJurisdiction" },
        { MessageTypes.ReferralRequest, "vic_TypeOfExploitation", "[\"ForcedBegging\", \"PettyTheft\"]", "/vic_TypeOfExploitation/1: enum", "PettyTheft" },
        { MessageTypes.ReferralRequest, "prs_Birthdate", "\"01.01.2014\"", "/prs_Birthdate: format", "01.01.2014" },
        { MessageTypes.CaseClosed, "retention.eraseContentBy", "\"2031-02-30\"", "/retention/eraseContentBy: format", "2031-02-30" },
        { MessageTypes.StatusUpdate, "residence.internationalProtectionState", "\"Finland\"", "/residence/internationalProtectionState: pattern", "Finland" },
        { MessageTypes.ReferralRequest, "residence.status", "\"Asylum\"", "/residence/status: enum", "Asylum" },
        { MessageTypes.ConsentWithdrawn, "withdrawnAt", "\"2030-03-20 09:15\"", "/withdrawnAt: format", "2030-03-20 09:15" },
        { MessageTypes.ReferralRequest, "cas_OutgoingReferralDate", "", "/: required", "SYNTHETIC-Anna" },
        { MessageTypes.ErasureConfirmed, "erasedAt", "", "/: required", "AuditLog" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Payload_validator_refuses_a_broken_example_naming_the_location_but_not_the_value(string messageType, string path, string json, string expectedProblemStart, string offendingValue)
    {
        var body = JsonNode.Parse(ReadExample(messageType).GetRawText())!.AsObject();
        var segments = path.Split('.');
        var parent = segments[..^1].Aggregate(body, (node, segment) => node[segment]!.AsObject());
        if (json.Length == 0)
        {
            Assert.True(parent.Remove(segments[^1]), $"the example has no {path} to remove");
        }
        else
        {
            parent[segments[^1]] = JsonNode.Parse(json);
        }

        var problems = Validator.Validate(messageType, JsonSerializer.SerializeToElement(body));

        Assert.NotNull(problems);
        Assert.Contains(problems, problem => problem.StartsWith(expectedProblemStart, StringComparison.Ordinal));
        Assert.All(problems, problem => Assert.DoesNotContain(offendingValue, problem, StringComparison.Ordinal));
    }

    private static List<string> FileNames(string directory) =>
        [.. Directory.GetFiles(directory).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];
}
