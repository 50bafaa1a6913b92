using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Contracts.Messages;

/// <summary>A body as its catalogue paths: objects are walked, anything else (arrays included) is one field.</summary>
public static class BodyFields
{
    /// <summary>The leaf fields present in <paramref name="body"/>, as dotted paths with their values.</summary>
    public static IReadOnlyList<KeyValuePair<string, JsonElement>> Flatten(JsonElement body)
    {
        var fields = new List<KeyValuePair<string, JsonElement>>();
        Walk(body, prefix: null, fields);
        return fields;
    }

    /// <summary>Builds a body from dotted paths; the inverse of <see cref="Flatten"/>.</summary>
    public static JsonObject Build(IEnumerable<KeyValuePair<string, JsonNode?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var root = new JsonObject();
        foreach (var (path, value) in fields)
        {
            var segments = path.Split('.');
            var parent = root;
            foreach (var segment in segments[..^1])
            {
                if (parent[segment] is not JsonObject child)
                {
                    child = new JsonObject();
                    parent[segment] = child;
                }

                parent = child;
            }

            parent[segments[^1]] = value;
        }

        return root;
    }

    private static void Walk(JsonElement element, string? prefix, List<KeyValuePair<string, JsonElement>> fields)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                var path = prefix is null ? property.Name : $"{prefix}.{property.Name}";
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    Walk(property.Value, path, fields);
                }
                else
                {
                    fields.Add(new(path, property.Value));
                }
            }
        }
        else if (prefix is not null)
        {
            fields.Add(new(prefix, element));
        }
    }
}
