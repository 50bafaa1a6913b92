using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Contracts;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
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

    private GatewayNode(WebApplication app, GatewayNodeOptions options, NodeIdentity identity)
    {
        _app = app;
        Options = options;
        Identity = identity;
        var ports = identity.Peers.Self;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.InternalPort}"), Timeout = TimeSpan.FromSeconds(60) };
        PeerEndpoint = new Uri($"https://localhost:{ports.PeerPort}/peer/v1/envelopes");
    }

    public GatewayNodeOptions Options { get; }

    public NodeIdentity Identity { get; }

    public HttpClient Api { get; }

    public Uri PeerEndpoint { get; }

    public GatewayStore Store => _app.Services.GetRequiredService<GatewayStore>();

    public static async Task<GatewayNode> StartAsync(GatewayNodeOptions options)
    {
        var app = await GatewayHost.BuildAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        return new GatewayNode(app, options, app.Services.GetRequiredService<NodeIdentity>());
    }

    public async Task<SendMessageAccepted> SendAsync(string recipient, string messageType, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/referrals")
        {
            Content = JsonContent.Create(new SendMessageRequest
            {
                Recipient = recipient,
                MessageType = messageType,
                Body = JsonSerializer.SerializeToElement(body, GatewayJson.Options),
                Purpose = "Assistance",
            }, options: ApiJson),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await Api.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
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
        Api.Dispose();
        await _app.DisposeAsync();
    }
}
