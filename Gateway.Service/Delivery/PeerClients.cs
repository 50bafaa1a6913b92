using System.Collections.Concurrent;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Peers;
using Gateway.Service.Node;
using Gateway.Service.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Gateway.Service.Delivery;

/// <summary>
/// One HttpClient per peer, made when the peer is first called: its own connection pool, TLS pinned to the peer's
/// registered certificate, and its own timeout and circuit breaker (DESIGN §8.3), so one peer's failures open only its own.
/// </summary>
internal sealed class PeerClients(NodeIdentity identity, CertificateValidator validator, IOptions<DeliveryOptions> options, GatewayMetrics metrics) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<HttpClient>> _clients = new(StringComparer.Ordinal);

    public HttpClient For(string peerId) => _clients.GetOrAdd(peerId, id => new Lazy<HttpClient>(() => Create(id))).Value;

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(client => client.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }

    private HttpClient Create(string peerId)
    {
        var policy = options.Value.For(peerId);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(policy.AttemptTimeout)
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = policy.CircuitBreaker.FailureRatio,
                MinimumThroughput = policy.CircuitBreaker.MinimumThroughput,
                SamplingDuration = policy.CircuitBreaker.SamplingDuration,
                BreakDuration = policy.CircuitBreaker.BreakDuration,
                OnOpened = _ =>
                {
                    metrics.CircuitOpened(peerId);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    metrics.CircuitHalfOpened(peerId);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    metrics.CircuitClosed(peerId);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions =
            {
                ClientCertificates = [identity.Tls],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,

                // The server must present the TLS certificate this peer registered (pin) under its trust
                // anchor; the host name is not what identifies a partner here, the pin is.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && IsPeerTlsCertificate(peerId, new X509Certificate2(certificate)),
            },
        };
        return new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = sockets })
        {
            Timeout = Timeout.InfiniteTimeSpan, // the resilience pipeline owns the timeout
            MaxResponseContentBufferSize = 1024 * 1024,
        };
    }

    private bool IsPeerTlsCertificate(string peerId, X509Certificate2 certificate)
    {
        try
        {
            return identity.Peers.Authenticate(certificate, CertificateRole.Tls, validator).Peer.Id == peerId;
        }
        catch (EnvelopeException)
        {
            return false;
        }
    }
}
