using System.Text.Json;
using Gateway.Tests.Federation;

namespace Gateway.Tests.Hostile;

/// <summary>What the peer endpoint answered to one hostile request: status, problem code and media type.</summary>
internal sealed record PeerAnswer(int Status, string? Code, string? MediaType)
{
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>A refusal as the protocol promises it (DESIGN §4): a 4xx problem+json with a stable, non-empty code.</summary>
    public bool IsCodedRefusal => Status is >= 400 and < 500 && MediaType == ProblemMediaType && !string.IsNullOrEmpty(Code);

    public static async Task<PeerAnswer> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        return new PeerAnswer((int)response.StatusCode, CodeOf(body), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A raw exchange's answer; status 0 when no complete head came back.</summary>
    public static PeerAnswer Of(PeerEndpointRawAnswer answer) =>
        new(answer.Status ?? 0, CodeOf(answer.Body()), answer.Header("Content-Type")?.Split(';')[0].Trim());

    public override string ToString() => $"{Status} {Code ?? "(no code)"} {MediaType ?? "(no media type)"}";

    private static string? CodeOf(byte[] problem)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
