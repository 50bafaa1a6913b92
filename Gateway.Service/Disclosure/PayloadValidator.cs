using System.Collections.Frozen;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Json.Schema;

namespace Gateway.Service.Disclosure;

/// <summary>
/// Validates a body against its message type's JSON Schema (generated from the field catalogue, the same
/// documents as docs/schemas/). Errors name the location and the rule broken, never the value.
/// </summary>
public sealed class PayloadValidator
{
    // A valid body (the usual case) is answered by the cheap Flag evaluation; only an invalid one is evaluated again
    // for the list of what is wrong.
    private readonly EvaluationOptions _check = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    private readonly EvaluationOptions _evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly FrozenDictionary<string, JsonSchema> _schemas = MessageTypes.All.ToFrozenDictionary(
        type => type,
        type => JsonSchema.FromText(MessageSchemas.For(type).ToJsonString()),
        StringComparer.Ordinal);

    // Every property name any message type's schema declares: the catalogue's own words, safe to repeat.
    private static readonly FrozenSet<string> CatalogueNames = MessageTypes.All
        .SelectMany(type => PropertyNames(MessageSchemas.For(type)))
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Null when valid; otherwise up to ten problems as <c>/pointer: keyword</c>.</summary>
    public IReadOnlyList<string>? Validate(string messageType, JsonElement body)
    {
        if (!_schemas.TryGetValue(messageType, out var schema))
        {
            return ["unknown message type"];
        }

        if (schema.Evaluate(body, _check).IsValid)
        {
            return null;
        }

        var result = schema.Evaluate(body, _evaluation);

        var problems = (result.Details ?? [])
            .Where(detail => detail.HasErrors && detail.Errors is not null)
            .SelectMany(detail => detail.Errors!.Select(error => Problem(detail.InstanceLocation.ToString(), error.Key, error.Value)))
            .Distinct(StringComparer.Ordinal)
            .Take(10)
            .ToList();
        return problems.Count > 0 ? problems : ["/: invalid"];
    }

    /// <summary>
    /// Where and what, without anything the caller wrote: a property that is not a field of the message type is named
    /// only when its name is a catalogue field name (one the message type may not carry), otherwise by its parent (the
    /// name is then the caller's own text, possibly a person's name); the required keyword's message names the
    /// schema's missing fields; other messages may quote values, so only their keyword is given.
    /// </summary>
    private static string Problem(string pointer, string keyword, string message) => keyword switch
    {
        "" or "false" when CatalogueNames.Contains(LastSegment(pointer)) => $"{pointer}: is not a field of this message type",
        "" or "false" => $"{Location(Parent(pointer))}: has a property that is not a field of this message type",
        "required" => $"{Location(pointer)}: required: {message}",
        _ => $"{Location(pointer)}: {keyword}",
    };

    private static string Location(string pointer) => pointer.Length == 0 ? "/" : pointer;

    private static string LastSegment(string pointer) => pointer[(pointer.LastIndexOf('/') + 1)..].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    private static IEnumerable<string> PropertyNames(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject obj => obj.SelectMany(pair =>
            pair.Key == "properties" && pair.Value is System.Text.Json.Nodes.JsonObject properties
                ? properties.Select(property => property.Key).Concat(properties.SelectMany(property => PropertyNames(property.Value)))
                : PropertyNames(pair.Value)),
        System.Text.Json.Nodes.JsonArray array => array.SelectMany(PropertyNames),
        _ => [],
    };

    private static string Parent(string pointer) => pointer.LastIndexOf('/') is > 0 and var slash ? pointer[..slash] : string.Empty;
}
