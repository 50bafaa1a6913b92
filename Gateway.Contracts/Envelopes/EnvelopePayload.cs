using System.Text.Json;

namespace Gateway.Contracts.Envelopes;

/// <summary>The JSON document that is signed and then encrypted: <c>{"header": {...}, "body": {...}}</c>.</summary>
public sealed record EnvelopePayload
{
    public required EnvelopeHeader Header { get; init; }

    public required JsonElement Body { get; init; }
}
