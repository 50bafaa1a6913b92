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

    /// <summary>Null when valid; otherwise up to ten problems as <c>/pointer: keyword</c>.</summary>
    public IReadOnlyList<string>? Validate(string messageType, JsonElement body)
    {
        if (!_schemas.TryGetValue(messageType, out var schema))
        {
            return [$"unknown message type {messageType}"];
        }

        if (schema.Evaluate(body, _check).IsValid)
        {
            return null;
        }

        var result = schema.Evaluate(body, _evaluation);

        var problems = (result.Details ?? [])
            .Where(detail => detail.HasErrors && detail.Errors is not null)
            .SelectMany(detail => detail.Errors!.Select(error => $"{Location(detail.InstanceLocation.ToString())}: {Describe(error.Key, error.Value)}"))
            .Distinct(StringComparer.Ordinal)
            .Take(10)
            .ToList();
        return problems.Count > 0 ? problems : ["/: invalid"];
    }

    private static string Location(string pointer) => pointer.Length == 0 ? "/" : pointer;

    // The required keyword's message names the missing properties (names, never values); other messages may quote values.
    private static string Describe(string keyword, string message) => keyword switch
    {
        "" or "false" => "not allowed (not a field of this message type)",
        "required" => $"required: {message}",
        _ => keyword,
    };
}
