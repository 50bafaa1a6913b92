using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Peering;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Identity;
using Gateway.Service.Hosting;
using Gateway.Service.Peering;
using Gateway.Testing.Ports;
using Gateway.Tests.Crypto;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Federation;

/// <summary>
/// One receiving node, FI-NRM (SQLite, in-memory bus), started once for the peer endpoint tests, and what a partner
/// needs to reach it: real mutual-TLS clients with a chosen client certificate, and envelopes sealed by EE-SKA or
/// LV-NGO-SAFEHOUSE. Envelopes are limited to <see cref="MaxEnvelopeBytes"/> so the size limit is cheap to cross.
/// </summary>
public sealed class PeerEndpointFixture : IAsyncLifetime
{
    public const string Estonia = "EE-SKA";
    public const string Finland = "FI-NRM";
    public const string Shelter = "LV-NGO-SAFEHOUSE";
    public const long MaxEnvelopeBytes = 64 * 1024;

    private readonly Dictionary<string, SigningIdentity> _signers = [];
    private readonly List<IDisposable> _owned = [];
    private TestFederation? _federation;
    private GatewayNode? _node;

    internal TestFederation Federation => _federation ?? throw new InvalidOperationException("the fixture has not started");

    internal GatewayNode Node => _node ?? throw new InvalidOperationException("the fixture has not started");

    internal Uri PeerBase => new($"https://localhost:{PeerPort}");

    internal int PeerPort => Node.Identity.Peers.Self.PeerPort;

    internal int InternalPort => Node.Identity.Peers.Self.InternalPort;

    public async Task InitializeAsync()
    {
        _federation = TestFederation.Create(Estonia, Finland, Shelter);
        var options = _federation.OptionsFor(Finland);
        options.PeerEndpoint.MaxEnvelopeBytes = MaxEnvelopeBytes;
        _node = await _federation.StartAsync(options);
        foreach (var id in new[] { Estonia, Shelter })
        {
            _signers[id] = DevPkiLayout.LoadSigning(_federation.Pki, id);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        foreach (var signer in _signers.Values)
        {
            signer.Dispose();
        }

        if (_federation is not null)
        {
            await _federation.DisposeAsync();
        }
    }

    /// <summary>The TLS certificate (with key) that <paramref name="nodeId"/> registered in FI-NRM's peers.json.</summary>
    internal X509Certificate2 RegisteredTlsCertificateOf(string nodeId) => Usable(Federation.Dev.Node(nodeId).Tls);

    /// <summary>A TLS client certificate issued by a state's trusted CA that no peer registered.</summary>
    internal X509Certificate2 UnregisteredTlsCertificateFrom(string country) =>
        Usable(Federation.Dev.Authorities[country].Issue(TlsRequest($"CN=unregistered tls, O=Unregistered, C={country}")));

    /// <summary>A TLS client certificate from a CA that no node of the federation trusts.</summary>
    internal X509Certificate2 CertificateFromUntrustedCa()
    {
        var rogue = DevCertificateAuthority.Create("XX Untrusted CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(30));
        _owned.Add(rogue);
        return Usable(rogue.Issue(TlsRequest($"CN={Estonia} tls, O={Estonia}, C=EE")));
    }

    /// <summary>
    /// A partner's HTTP client: HTTP/1.1 over TLS 1.2+ with the given client certificate (or none), trusting the
    /// peer listener only when its certificate chains to FI's CA.
    /// </summary>
    internal HttpClient ClientWith(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),

            // With "Expect: 100-continue" the body waits for the server's word, however long a loaded machine takes.
            Expect100ContinueTimeout = TimeSpan.FromSeconds(30),
            SslOptions =
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && ChainsToFinland(certificate),
            },
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return new HttpClient(handler) { BaseAddress = PeerBase, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A raw TLS connection to the peer listener; throws AuthenticationException when the client's side of the handshake fails.</summary>
    internal Task<PeerEndpointRawClient> ConnectRawAsync(X509Certificate2? clientCertificate, SslProtocols protocol) =>
        PeerEndpointRawClient.ConnectAsync(PeerPort, clientCertificate, protocol, ChainsToFinland);

    /// <summary>
    /// <c>GET /peer/v1/health</c> over a raw TLS session: what came back, nothing at all when the session was refused at
    /// either end of the handshake. (With TLS 1.3 the client's side always completes before the server has judged the
    /// client certificate, so a refusal can only show as the session ending.)
    /// </summary>
    internal async Task<PeerEndpointRawAnswer> RawHealthAsync(X509Certificate2? clientCertificate, SslProtocols protocol)
    {
        PeerEndpointRawClient client;
        try
        {
            client = await ConnectRawAsync(clientCertificate, protocol);
        }
        catch (AuthenticationException)
        {
            return new PeerEndpointRawAnswer([]);
        }

        await using (client)
        {
            return await client.ExchangeAsync($"GET /peer/v1/health HTTP/1.1\r\nHost: localhost:{PeerPort}\r\nConnection: close");
        }
    }

    /// <summary>The request line and headers of <c>POST /peer/v1/envelopes</c> for a raw exchange, with the given framing header.</summary>
    internal string EnvelopeHead(EnvelopeHeader header, string framing) => string.Join("\r\n",
        "POST /peer/v1/envelopes HTTP/1.1",
        $"Host: localhost:{PeerPort}",
        $"Content-Type: {RoutingHeaders.EnvelopeMediaType}",
        framing,
        $"{RoutingHeaders.MessageId}: {header.MessageId}",
        $"{RoutingHeaders.From}: {header.From}",
        $"{RoutingHeaders.To}: {header.To}",
        $"{RoutingHeaders.MessageType}: {header.MessageType}",
        "Connection: close");

    /// <summary>
    /// Another FI-NRM of the same federation (same keys; its own ports, data folder and peers.json), for what the
    /// fixture's node is not configured for: a changed registry, CRLs, a logger. The test disposes it.
    /// </summary>
    internal async Task<GatewayNode> StartAnotherFinlandAsync(
        Func<PeerRegistryDocument, PeerRegistryDocument>? registry = null,
        Action<GatewayNodeOptions>? configure = null,
        Action<IServiceCollection>? replaceServices = null)
    {
        var folder = Path.Combine(Federation.Directory, "finland-" + Guid.NewGuid().ToString("N")[..8]);
        var ports = FreePorts.FindBase(2);
        var document = Federation.Dev.RegistryFor(Finland);
        document = document with { Self = document.Self with { PeerPort = ports, InternalPort = ports + 1 } };
        var options = GatewayNodeOptions.FromDevPki(Federation.Pki, Finland, folder);
        options.Node.PeersFile = Path.Combine(folder, "peers.json");
        options.PeerEndpoint.MaxEnvelopeBytes = MaxEnvelopeBytes;
        configure?.Invoke(options);
        await File.WriteAllBytesAsync(options.Node.PeersFile, JsonSerializer.SerializeToUtf8Bytes(registry?.Invoke(document) ?? document, GatewayJson.Indented));
        return await GatewayNode.StartAsync(options, replaceServices);
    }

    /// <summary>An envelope payload from <paramref name="from"/> to FI-NRM, created now.</summary>
    internal static EnvelopePayload PayloadFrom(string from, DateTimeOffset? createdAt = null)
    {
        var payload = SyntheticPayloads.Consultation(from, Finland);
        return payload with { Header = payload.Header with { CreatedAt = createdAt ?? DateTimeOffset.UtcNow } };
    }

    /// <summary>Signed by <paramref name="signerId"/>'s registered signing key, encrypted to FI-NRM. CMS is randomized: every call differs.</summary>
    internal byte[] Seal(EnvelopePayload payload, string signerId) =>
        new EnvelopeSealer(TimeProvider.System).Seal(payload, _signers[signerId], Federation.Dev.Node(Finland).Encryption);

    /// <summary><c>POST /peer/v1/envelopes</c> with the routing headers copied from <paramref name="header"/>.</summary>
    internal static HttpRequestMessage EnvelopeRequest(byte[] envelope, EnvelopeHeader header) =>
        EnvelopeRequest(new ByteArrayContent(envelope), header);

    internal static HttpRequestMessage EnvelopeRequest(HttpContent content, EnvelopeHeader header)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/peer/v1/envelopes") { Content = content };
        content.Headers.ContentType = new MediaTypeHeaderValue(RoutingHeaders.EnvelopeMediaType);
        request.Headers.Add(RoutingHeaders.MessageId, header.MessageId.ToString());
        request.Headers.Add(RoutingHeaders.From, header.From);
        request.Headers.Add(RoutingHeaders.To, header.To);
        request.Headers.Add(RoutingHeaders.MessageType, header.MessageType);
        return request;
    }

    private static DevCertificateRequest TlsRequest(string subject) => new()
    {
        Subject = subject,
        KeyUsage = X509KeyUsageFlags.DigitalSignature,
        ExtendedKeyUsages = [Gateway.Crypto.Oids.ServerAuth, Gateway.Crypto.Oids.ClientAuth],
        DnsNames = ["localhost"],
        NotBefore = DateTimeOffset.UtcNow.AddHours(-1),
        NotAfter = DateTimeOffset.UtcNow.AddDays(30),
    };

    /// <summary>A PKCS#12 round trip gives the key a form SslStream can use as a client credential on every platform.</summary>
    private X509Certificate2 Usable(X509Certificate2 certificate)
    {
        var usable = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        _owned.Add(usable);
        return usable;
    }

    private bool ChainsToFinland(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Federation.Dev.Authorities["FI"].Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}
