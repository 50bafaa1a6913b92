using System.Text.Json;
using Gateway.Contracts.Messages;

namespace Gateway.Service.Cli.Demo;

/// <summary>
/// The demo's own bodies against the field catalogue before they are sent: every field catalogued, every required
/// field present, every code in its picklist. Problems name the path, never the value.
/// </summary>
internal static class CatalogueCheck
{
    public static IReadOnlyList<string> Problems(string messageType, JsonElement body)
    {
        var problems = new List<string>();
        var present = BodyFields.Flatten(body);
        foreach (var (path, value) in present)
        {
            if (FieldCatalogue.Find(messageType, path) is not { } field)
            {
                problems.Add($"{path} is not a {messageType} field");
                continue;
            }

            string[]? codes = field.Kind switch
            {
                FieldKind.Code => value.ValueKind == JsonValueKind.String ? [value.GetString()!] : null,
                FieldKind.CodeList => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String)
                    ? [.. value.EnumerateArray().Select(item => item.GetString()!)]
                    : null,
                _ => [],
            };
            if (codes is null || !codes.All(code => field.Values!.Contains(code, StringComparer.Ordinal)))
            {
                problems.Add($"{path} has a value outside its picklist");
            }
        }

        problems.AddRange(FieldCatalogue.For(messageType)
            .Where(field => field.Required && !present.Any(pair => pair.Key == field.Path))
            .Select(field => $"{field.Path} is required"));
        return problems;
    }
}
