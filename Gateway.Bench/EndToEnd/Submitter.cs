using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Gateway.Bench.EndToEnd;

/// <summary>Submits one consultation to the sender's caseworker API; a 202 gives the message id, anything else counts as a failure with its status.</summary>
internal sealed class Submitter(HttpClient client, byte[] body)
{
    public async Task<Submission> SubmitAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/referrals") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return new Submission(null, clock.Elapsed, $"HTTP {(int)response.StatusCode} {Code(text)}");
            }

            using var json = JsonDocument.Parse(text);
            return new Submission(json.RootElement.GetProperty("messageId").GetGuid(), clock.Elapsed, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return new Submission(null, clock.Elapsed, exception.GetType().Name);
        }
    }

    private static string Code(string problem)
    {
        try
        {
            using var json = JsonDocument.Parse(problem);
            return json.RootElement.TryGetProperty("code", out var code) ? code.GetString() ?? string.Empty : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}

/// <summary>What one POST gave: the message id when accepted, how long the 202 took, or why it failed.</summary>
internal sealed record Submission(Guid? MessageId, TimeSpan Elapsed, string? Failure);
