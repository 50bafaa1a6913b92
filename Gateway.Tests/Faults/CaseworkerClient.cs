using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Testing.Caseworker;
using Gateway.Tests.Federation;

namespace Gateway.Tests.Faults;

/// <summary>
/// A caseworker's client of the sending node, which may be served by several processes. A request that gets no answer
/// (the process died, the database is away) or a 5xx is sent again with the same Idempotency-Key, to the next process,
/// until it is accepted: so "accepted" means the same across a crash, and a retry never makes a second message.
/// </summary>
internal sealed class CaseworkerClient : IDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient[] _clients;
    private int _retries;

    public CaseworkerClient(string pki, string nodeId, IReadOnlyList<int> internalPorts) =>
        _clients = [.. internalPorts.Select(port => CaseworkerHttp.Create(pki, nodeId, port, TimeSpan.FromSeconds(15), pooledConnectionLifetime: TimeSpan.FromSeconds(30)))];

    /// <summary>Requests sent again after no answer or a 5xx.</summary>
    public int Retries => Volatile.Read(ref _retries);

    public async Task<Guid> RecordConsentAsync(string[] recipients, string[] categories)
    {
        using var response = await _clients[0].PostAsJsonAsync("/api/v1/consents", new
        {
            subjectRef = "SYNTHETIC-SUBJECT-" + Guid.NewGuid().ToString("N")[..8],
            givenBy = "Subject",
            subjectIsMinor = false,
            childHeard = false,
            scope = new { recipients, purposes = new[] { "Assistance" }, categories },
            validUntil = DateTimeOffset.UtcNow.AddDays(1),
            evidenceRef = "SYNTHETIC-FORM-1",
        }, GatewayNode.ApiJson);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"consent: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("consent").GetProperty("consentId").GetGuid();
    }

    /// <summary>POSTs the referral until a process answers 202 and returns the message id it was given.</summary>
    public async Task<Guid> SendUntilAcceptedAsync(int index, string idempotencyKey, byte[] body, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attempt > 0)
            {
                Interlocked.Increment(ref _retries);
                if (clock.Elapsed > deadline)
                {
                    throw new TimeoutException($"referral {idempotencyKey} not accepted within {deadline.TotalSeconds} s ({attempt} attempts)");
                }

                await Task.Delay(RetryPause, cancellationToken);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/referrals") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            try
            {
                using var response = await _clients[(index + attempt) % _clients.Length].SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                    return json.RootElement.GetProperty("messageId").GetGuid();
                }

                if ((int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException($"referral {idempotencyKey} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception exception) when ((exception is HttpRequestException or TaskCanceledException or IOException) && !cancellationToken.IsCancellationRequested)
            {
                // No answer: the process is gone or starting. Same key again.
            }
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
