using System.Net;
using System.Security.Authentication;
using Gateway.Crypto.Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Node;

/// <summary>
/// The node's two doors (DESIGN §10): the mutual-TLS peer listener and the internal listener, on the ports of
/// <see cref="NodeIdentity"/>. Endpoints pin themselves to one of them with <see cref="ListenerRouting.RequireListener{TBuilder}"/>.
/// </summary>
internal sealed partial class NodeListeners(NodeIdentity identity, CertificateValidator validator, IOptions<NodeOptions> options, ILogger<NodeListeners> logger) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(10));
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        var settings = options.Value;
        if (settings.BindAddress is { } legacy && settings.InternalBindAddress is null && !IPAddress.IsLoopback(IPAddress.Parse(legacy)))
        {
            LogInternalStaysOnLoopback(logger, legacy);
        }

        // Each door its own address (DESIGN §10): the internal listener is never opened just because the peer one is.
        kestrel.Listen(IPAddress.Parse(settings.PeerListenerAddress), identity.PeerPort, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = identity.Tls;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.CheckCertificateRevocation = false;

            // The handshake admits certificates of any partner's trust anchor; which peer it is (pin), and
            // whether that is acceptable, is decided per request with a problem code the partner can read.
            https.ClientCertificateValidation = (certificate, _, _) =>
                identity.Peers.Peers.Any(peer => validator.ChainsTo(certificate, peer.TrustAnchor));
        }));
        kestrel.Listen(IPAddress.Parse(settings.InternalListenerAddress), identity.InternalPort, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = identity.InternalTls;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

            // Health probes come without a certificate; every /api and /ops endpoint requires one with a role,
            // judged per request (Access) so the caller gets a problem code rather than a reset.
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.CheckCertificateRevocation = false;
            https.ClientCertificateValidation = (_, _, _) => true;
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway:BindAddress ({Address}) now binds only the peer listener; the internal listener stays on loopback unless Gateway:InternalBindAddress is set")]
    private static partial void LogInternalStaysOnLoopback(ILogger logger, string address);
}
