using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;

namespace Gateway.Service.Cli;

/// <summary>
/// <c>schemas export</c>: the JSON Schema of every message body and the field catalogue as markdown, generated from
/// <see cref="FieldCatalogue"/>, for partners who build bodies without the gateway. docs/schemas/ is its output.
/// </summary>
internal static class SchemaCommands
{
    public const string CatalogueFileName = "field-catalogue.md";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    // Relaxed escaping keeps the descriptions readable (an apostrophe stays an apostrophe); "\n" keeps the files
    // byte-identical on every operating system.
    private static readonly JsonSerializerOptions SchemaJson = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder to write <MessageType>.schema.json and field-catalogue.md into (created when absent; files of the same name are replaced)." };
        var export = new Command("export", "Write the JSON Schema (draft 2020-12) of every message body and the field catalogue as markdown.") { output };
        export.SetAction(parse =>
        {
            var console = parse.InvocationConfiguration;
            var directory = parse.GetValue(output);
            if (directory is null)
            {
                console.Error.WriteLine("schemas export: --out is required. Usage: gateway schemas export --out DIR");
                return GatewayCommandLine.UsageError;
            }

            try
            {
                Directory.CreateDirectory(directory.FullName);
                foreach (var (name, content) in Documents())
                {
                    File.WriteAllBytes(Path.Combine(directory.FullName, name), content);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                console.Error.WriteLine($"schemas export: {exception.Message}");
                return GatewayCommandLine.UsageError;
            }

            console.Output.WriteLine($"{MessageTypes.All.Count} schemas and {CatalogueFileName} written to {directory.FullName}");
            return 0;
        });

        return new Command("schemas", "The message body schemas and field catalogue, for partners.") { export };
    }

    /// <summary>The exported files as UTF-8 without a byte order mark, each ending in a newline.</summary>
    public static IReadOnlyList<KeyValuePair<string, byte[]>> Documents() =>
    [
        .. MessageTypes.All.Select(type => KeyValuePair.Create(SchemaFileName(type), Utf8NoBom.GetBytes(MessageSchemas.For(type).ToJsonString(SchemaJson) + "\n"))),
        KeyValuePair.Create(CatalogueFileName, Utf8NoBom.GetBytes(CatalogueMarkdown())),
    ];

    public static string SchemaFileName(string messageType) => $"{messageType}.schema.json";

    private static string CatalogueMarkdown()
    {
        var markdown = new StringBuilder();
        markdown.Append("""
            # Field catalogue

            Generated from `FieldCatalogue` by `dotnet run --project Gateway.Service -- schemas export --out docs/schemas`;
            do not edit by hand. Every field a message body may carry, per message type: a field that is not listed
            here cannot be sent, and the receiving node refuses a body with any other field. The JSON Schema of each
            body beside this file says the same for machines.

            - **path**: the field's place in the body, dotted for nested objects (`child.guardian.prs_FirstName` is
              `{"child": {"guardian": {"prs_FirstName": ...}}}`).
            - **category**: what the field says about the person; a legal basis must cover every subject category a
              message carries. `Administrative` and `Professional` say nothing about the person.
            - **sensitivity**: `Identifying`, `SpecialCategory` (GDPR Art. 9), `CriminalOffence` (GDPR Art. 10),
              `FreeText` (written by a person, so it can carry anything), `MigrationStatus` (residence or protection
              status, or what implies it: it can be used against the person).
            - **HTCDS**: the name and meaning are those of the Human Trafficking Case Data Standard v2.0 (IOM).
            - A field that does not apply is left out, never sent as `null`; an object, when present, has at least
              one field.

            """.ReplaceLineEndings("\n"));
        foreach (var type in MessageTypes.All)
        {
            markdown.Append('\n')
                .Append("## ").Append(type).Append("\n\n")
                .Append("Schema: [").Append(SchemaFileName(type)).Append("](").Append(SchemaFileName(type)).Append("). ")
                .Append("Header `purpose`: ").Append(string.Join(" or ", MessagePurposes.AllowedFor(type).Select(purpose => $"`{purpose}`"))).Append(".\n\n")
                .Append("| path | kind | category | sensitivity | required | HTCDS | allowed values | description |\n")
                .Append("|---|---|---|---|---|---|---|---|\n");
            foreach (var field in FieldCatalogue.For(type))
            {
                markdown.Append("| `").Append(field.Path).Append("` | ")
                    .Append(field.Kind).Append(" | ")
                    .Append(field.Category).Append(" | ")
                    .Append(Cell(SensitivityNames(field.Sensitivity))).Append(" | ")
                    .Append(field.Required ? "yes" : "").Append(" | ")
                    .Append(field.Htcds ? "yes" : "").Append(" | ")
                    .Append(Cell(AllowedValues(field))).Append(" | ")
                    .Append(Cell(field.Description)).Append(" |\n");
            }
        }

        return markdown.ToString();
    }

    private static string SensitivityNames(Sensitivity sensitivity) => string.Join(", ", Enum.GetValues<Sensitivity>()
        .Where(flag => flag != Sensitivity.None && sensitivity.HasFlag(flag))
        .Select(flag => flag.ToString()));

    private static string AllowedValues(FieldDefinition field) => field.Kind switch
    {
        FieldKind.Code => string.Join(", ", (field.Values ?? []).Select(value => $"`{value}`")),
        FieldKind.CodeList => "one or more of " + string.Join(", ", (field.Values ?? []).Select(value => $"`{value}`")),
        FieldKind.Text => $"text, 1 to {field.MaxLength} characters",
        FieldKind.TextList => $"1 to 20 texts of 1 to {field.MaxLength} characters",
        FieldKind.CountryCode => "ISO 3166-1 alpha-2 code, two capital letters",
        FieldKind.Date => "`YYYY-MM-DD`",
        FieldKind.DateTime => "RFC 3339 with an offset",
        FieldKind.Boolean => "`true`, `false`",
        FieldKind.Integer => "0 or more",
        _ => throw new InvalidOperationException($"unhandled field kind {field.Kind}"),
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
