using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Crypto.DevPki;
using Gateway.Service.Delivery;
using Gateway.Service.Hosting;
using Gateway.Service.Node;
using Gateway.Service.Referrals;
using Gateway.Testing.Caseworker;
using Gateway.Testing.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Federation;

/// <summary>One running gateway node and a client for its internal API.</summary>
internal sealed class GatewayNode : IAsyncDisposable
{
    public static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly WebApplication _app;
    private bool _stopped;

    private readonly Dictionary<string, HttpClient> _clients = [];

    private GatewayNode(WebApplication app, GatewayNodeOptions options, NodeIdentity identity)
    {
        _app = app;
        Options = options;
        Identity = identity;
        var ports = identity.Peers.Self;
        InternalBase = new Uri($"https://localhost:{ports.InternalPort}");
        PeerEndpoint = new Uri($"https://localhost:{ports.PeerPort}/peer/v1/envelopes");
    }

    public Uri InternalBase { get; }

    /// <summary>The internal API as this node's caseworker (client certificate from its internal CA).</summary>
    public HttpClient Api => ApiAs(DevClientRoles.Caseworker);

    /// <summary>The internal API with the role's certificate that <c>pki init-dev</c> wrote for this node.</summary>
    public HttpClient ApiAs(string role)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(role, out var client))
            {
                var pki = Path.GetDirectoryName(Path.GetDirectoryName(Options.Node.PeersFile))!;
                client = ApiWith(DevPkiLayout.LoadClientCertificate(pki, Identity.NodeId, role));
                _clients[role] = client;
            }

            return client;
        }
    }

    /// <summary>The internal API with any client certificate, or none; the server must chain to this node's internal CA.</summary>
    public HttpClient ApiWith(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler();
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        handler.SslOptions.RemoteCertificateValidationCallback = InternalCaTrust.ChainsTo(Identity.InternalClientCa);
        return new HttpClient(handler) { BaseAddress = InternalBase, Timeout = TimeSpan.FromSeconds(60) };
    }

    public GatewayNodeOptions Options { get; }

    public NodeIdentity Identity { get; }

    public Uri PeerEndpoint { get; }

    /// <summary>The node's database and its features' stores.</summary>
    public NodeStores Stores => NodeStores.Of(_app.Services);

    public IServiceProvider Services => _app.Services;

    /// <param name="replaceServices">Swaps a service for a misbehaving one (a broker that never confirms, say).</param>
    public static async Task<GatewayNode> StartAsync(GatewayNodeOptions options, Action<IServiceCollection>? replaceServices = null)
    {
        var builder = GatewayHost.CreateBuilder(options);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        replaceServices?.Invoke(builder.Services);
        var app = await GatewayHost.BuildAsync(builder);
        await app.StartAsync();
        return new GatewayNode(app, options, app.Services.GetRequiredService<NodeIdentity>());
    }

    /// <summary>An anonymous consultation (no consent needed) with this question.</summary>
    public Task<SendMessageAccepted> ConsultAsync(string recipient, string question = "SYNTHETIC question about shelter capacity", string? idempotencyKey = null) =>
        SendAsync(new SendMessageRequest
        {
            Recipient = recipient,
            MessageType = MessageTypes.AnonymousConsultation,
            Body = JsonSerializer.SerializeToElement(new { topic = "Accommodation", question }, GatewayJson.Options),
        }, idempotencyKey);

    /// <summary>Records a consent for the recipients and categories given, valid for a day, and returns its id.</summary>
    public async Task<Guid> RecordConsentAsync(string[] recipients, string[] categories, string givenBy = "Subject", bool minor = false, bool childHeard = false, string[]? purposes = null, string? conversationId = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/consents", new
        {
            subjectRef = "SYNTHETIC-SUBJECT-" + Guid.NewGuid().ToString("N")[..8],
            givenBy,
            subjectIsMinor = minor,
            childHeard,
            scope = new { recipients, purposes = purposes ?? ["Assistance"], categories },
            validUntil = DateTimeOffset.UtcNow.AddDays(1),
            evidenceRef = "SYNTHETIC-FORM-1",
            conversationId,
        }, ApiJson);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("consent").GetProperty("consentId").GetGuid();
    }

    /// <summary>A referral under a consent.</summary>
    public Task<SendMessageAccepted> ReferAsync(string recipient, Guid consentId, object body, string? idempotencyKey = null) =>
        SendAsync(new SendMessageRequest
        {
            Recipient = recipient,
            MessageType = MessageTypes.ReferralRequest,
            Body = JsonSerializer.SerializeToElement(body, GatewayJson.Options),
            LegalBasis = "Consent",
            ConsentId = consentId,
        }, idempotencyKey);

    public async Task<SendMessageAccepted> SendAsync(SendMessageRequest message, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/referrals")
        {
            Content = JsonContent.Create(message, options: ApiJson),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await Api.SendAsync(request);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<SendMessageAccepted>(ApiJson))!;
    }

    public async Task<MessageStatus> StatusAsync(Guid messageId) =>
        (await Api.GetFromJsonAsync<MessageStatus>($"/api/v1/referrals/{messageId}", ApiJson))!;

    /// <summary>Polls until the message reaches <paramref name="state"/> or the deadline passes; returns the last status.</summary>
    public async Task<MessageStatus> WaitForStateAsync(Guid messageId, DeliveryState state, TimeSpan deadline)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var status = await StatusAsync(messageId);
        while (status.State != state && clock.Elapsed < deadline)
        {
            await Task.Delay(50);
            status = await StatusAsync(messageId);
        }

        return status;
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await _app.DisposeAsync();
    }
}
