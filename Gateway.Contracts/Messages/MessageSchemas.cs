using System.Text.Json.Nodes;

namespace Gateway.Contracts.Messages;

/// <summary>
/// The JSON Schema (draft 2020-12) of each message type's body, generated from <see cref="FieldCatalogue"/>: every
/// object closed (<c>additionalProperties: false</c>), picklists as enums, dates as formats. docs/schemas/ holds
/// the same documents for partners; a test keeps them equal.
/// </summary>
public static class MessageSchemas
{
    public const string BaseUri = "https://referral-gateway.example/schemas/v1/";

    public static JsonObject For(string messageType)
    {
        var fields = FieldCatalogue.For(messageType);
        if (fields.Count == 0)
        {
            throw new ArgumentException($"unknown message type {messageType}", nameof(messageType));
        }

        var root = ObjectSchema();
        root.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
        root.Insert(1, "$id", $"{BaseUri}{messageType}.schema.json");
        root.Insert(2, "title", messageType);
        foreach (var field in fields)
        {
            var segments = field.Path.Split('.');
            var parent = root;
            foreach (var segment in segments[..^1])
            {
                var properties = (JsonObject)parent["properties"]!;
                if (properties[segment] is not JsonObject child)
                {
                    child = ObjectSchema();
                    properties[segment] = child;
                }

                parent = child;
            }

            ((JsonObject)parent["properties"]!)[segments[^1]] = FieldSchema(field);
            if (field.Required)
            {
                if (segments.Length != 1)
                {
                    throw new InvalidOperationException($"required field {field.Path} must be at the top level");
                }

                if (root["required"] is not JsonArray required)
                {
                    required = [];
                    root["required"] = required;
                }

                required.Add(field.Path);
            }
        }

        return root;
    }

    private static JsonObject ObjectSchema() => new()
    {
        ["type"] = "object",
        ["additionalProperties"] = false,
        ["minProperties"] = 1,
        ["properties"] = new JsonObject(),
    };

    private static JsonObject FieldSchema(FieldDefinition field)
    {
        var schema = field.Kind switch
        {
            FieldKind.Text => new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = field.MaxLength },
            FieldKind.Code => new JsonObject { ["type"] = "string", ["enum"] = Values(field) },
            FieldKind.CodeList => new JsonObject
            {
                ["type"] = "array", ["minItems"] = 1, ["uniqueItems"] = true,
                ["items"] = new JsonObject { ["type"] = "string", ["enum"] = Values(field) },
            },
            FieldKind.TextList => new JsonObject
            {
                ["type"] = "array", ["minItems"] = 1, ["maxItems"] = 20,
                ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = field.MaxLength },
            },
            FieldKind.CountryCode => new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Z]{2}$" },
            FieldKind.Date => new JsonObject { ["type"] = "string", ["format"] = "date", ["pattern"] = @"^\d{4}-\d{2}-\d{2}$" },
            FieldKind.DateTime => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            FieldKind.Boolean => new JsonObject { ["type"] = "boolean" },
            FieldKind.Integer => new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
            _ => throw new InvalidOperationException($"unhandled field kind {field.Kind}"),
        };
        schema.Insert(0, "description", field.Description);
        schema["x-category"] = field.Category.ToString();
        if (field.Sensitivity != Sensitivity.None)
        {
            schema["x-sensitivity"] = new JsonArray([.. Enum.GetValues<Sensitivity>()
                .Where(flag => flag != Sensitivity.None && field.Sensitivity.HasFlag(flag))
                .Select(flag => (JsonNode)JsonValue.Create(flag.ToString())!)]);
        }

        if (field.Htcds)
        {
            schema["x-htcds"] = true;
        }

        return schema;
    }

    private static JsonArray Values(FieldDefinition field) =>
        new([.. (field.Values ?? throw new InvalidOperationException($"{field.Path} has no values")).Select(value => (JsonNode)JsonValue.Create(value)!)]);
}
