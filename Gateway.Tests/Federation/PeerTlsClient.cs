using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Gateway.Service.Peering;

namespace Gateway.Tests.Federation;

/// <summary>A partner's side of the peer protocol, by hand: POSTs an envelope over mutual TLS with a given certificate.</summary>
internal sealed class PeerTlsClient : IDisposable
{
    private readonly HttpClient _client;

    public PeerTlsClient(X509Certificate2 clientCertificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(clientCertificate.Export(X509ContentType.Pkcs12), null)];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true; // the test judges the answer, not the server
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<HttpResponseMessage> PostAsync(Uri endpoint, byte[] envelope, Guid messageId, string from, string to, string messageType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(envelope) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(RoutingHeaders.EnvelopeMediaType);
        request.Headers.Add(RoutingHeaders.MessageId, messageId.ToString());
        request.Headers.Add(RoutingHeaders.From, from);
        request.Headers.Add(RoutingHeaders.To, to);
        request.Headers.Add(RoutingHeaders.MessageType, messageType);
        return await _client.SendAsync(request);
    }

    public void Dispose() => _client.Dispose();
}
