using System.Text.Json.Serialization;

namespace Gateway.Service.Keys;

/// <summary>Source-generated JSON of the key file (no reflection over the document that carries a key).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(KeyFileDocument))]
internal sealed partial class KeyFileJson : JsonSerializerContext;
