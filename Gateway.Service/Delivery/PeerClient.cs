using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Crypto.Peers;
using Gateway.Service.Peering;
using Gateway.Service.Referrals;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Gateway.Service.Delivery;

/// <summary>POSTs an envelope to a peer over mutual TLS through that peer's own resilient HttpClient.</summary>
internal sealed partial class PeerClient(PeerClients clients)
{
    private const int ExpectContinueThreshold = 64 * 1024;

    public async Task<PeerResponse> SendAsync(TrustedPeer peer, OutboundMessage message, byte[] envelope, string from, CancellationToken cancellationToken)
    {
        var client = clients.For(peer.Id);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(peer.Endpoint, "/peer/v1/envelopes"))
        {
            Content = new ByteArrayContent(envelope),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(RoutingHeaders.EnvelopeMediaType);
        request.Headers.Add(RoutingHeaders.MessageId, message.MessageId.ToString());
        request.Headers.Add(RoutingHeaders.From, from);
        request.Headers.Add(RoutingHeaders.To, peer.Id);
        request.Headers.Add(RoutingHeaders.MessageType, message.MessageType);

        // A large envelope waits for the peer's 100 Continue, so a 413 arrives before the body is sent and is
        // taken as the final answer it is, not as a broken connection to retry until the time-to-live runs out.
        request.Headers.ExpectContinue = envelope.Length > ExpectContinueThreshold;
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new PeerResponse
            {
                Status = (int)response.StatusCode,
                Body = body,
                Code = response.IsSuccessStatusCode ? null : ProblemCode(body) ?? DeliveryCodes.ForStatus((int)response.StatusCode),
                RetryAfter = response.Headers.RetryAfter?.Delta,
            };
        }
        catch (BrokenCircuitException)
        {
            return new PeerResponse { Code = DeliveryCodes.CircuitOpen };
        }
        catch (TimeoutRejectedException)
        {
            return new PeerResponse { Code = DeliveryCodes.Timeout };
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PeerResponse { Code = DeliveryCodes.Timeout };
        }
        catch (HttpRequestException)
        {
            // Refused, reset, or the TLS handshake failed: nothing reached the peer's store.
            return new PeerResponse { Code = DeliveryCodes.ConnectionFailed };
        }
    }

    private static string? ProblemCode(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            // A partner's code is kept (in lastError, transitions, the operators' views) only if it has a code's shape: a
            // partner must not be able to write free text into this node's records.
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && code.GetString() is { } text && ProblemCodeShape().IsMatch(text)
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z_]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex ProblemCodeShape();
}
