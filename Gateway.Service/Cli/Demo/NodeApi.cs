using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Crypto.DevPki;
using Gateway.Service.Consent;
using Gateway.Service.Erasure;
using Gateway.Service.Inbox;
using Gateway.Service.Oversight;
using Gateway.Service.Referrals;

namespace Gateway.Service.Cli.Demo;

/// <summary>
/// One node's internal API as one of its dev people (the caseworker, or the data protection officer for the oversight
/// views): HTTPS with that person's client certificate, the server checked against the node's internal CA. An unexpected answer stops the demo with the status and the problem's code.
/// </summary>
internal sealed class NodeApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient _http;
    private readonly X509Certificate2 _clientCertificate;
    private readonly X509Certificate2 _internalCa;
    private readonly TimeProvider _time;

    private NodeApi(string nodeId, int internalPort, X509Certificate2 clientCertificate, X509Certificate2 internalCa, TimeProvider time)
    {
        NodeId = nodeId;
        BaseAddress = new Uri($"https://127.0.0.1:{internalPort}/");
        _clientCertificate = clientCertificate;
        _internalCa = internalCa;
        _time = time;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [clientCertificate];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsInternalServer(certificate, errors);
        _http = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string NodeId { get; }

    public Uri BaseAddress { get; }

    public static NodeApi Create(string pki, string nodeId, TimeProvider time, string person = DevPeople.Caseworker)
    {
        var internalPort = DevPkiLayout.LoadPeers(pki, nodeId).Self.InternalPort;
        var clientCertificate = DevPkiLayout.LoadClientCertificate(pki, nodeId, person);
        return new NodeApi(nodeId, internalPort, clientCertificate, X509CertificateLoader.LoadCertificateFromFile(DevPkiLayout.InternalCaFile(pki, nodeId)), time);
    }

    public Task<ConsentView> RecordConsentAsync(RecordConsentRequest request, CancellationToken cancellationToken) =>
        CallAsync<ConsentView>(HttpMethod.Post, "api/v1/consents", request, HttpStatusCode.Created, cancellationToken);

    public Task<ConsentView> GetConsentAsync(Guid consentId, CancellationToken cancellationToken) =>
        CallAsync<ConsentView>(HttpMethod.Get, $"api/v1/consents/{consentId}", null, HttpStatusCode.OK, cancellationToken);

    public Task<ConsentView> WithdrawConsentAsync(Guid consentId, ConsentGivenBy withdrawnBy, CancellationToken cancellationToken) =>
        CallAsync<ConsentView>(HttpMethod.Post, $"api/v1/consents/{consentId}/withdraw", new WithdrawConsentRequest { WithdrawnBy = withdrawnBy, Reason = WithdrawalReason.WithdrawnByPerson }, HttpStatusCode.OK, cancellationToken);

    public Task<PreviewView> PreviewAsync(SendMessageRequest request, CancellationToken cancellationToken) =>
        CallAsync<PreviewView>(HttpMethod.Post, "api/v1/referrals/preview", request, HttpStatusCode.OK, cancellationToken);

    public Task<SendMessageAccepted> SendAsync(SendMessageRequest request, CancellationToken cancellationToken) =>
        CallAsync<SendMessageAccepted>(HttpMethod.Post, "api/v1/referrals", request, HttpStatusCode.Accepted, cancellationToken);

    /// <summary>A sent message's state, without its content (so polling it is no read of content).</summary>
    public Task<SentMessageView> GetSentAsync(Guid messageId, CancellationToken cancellationToken) =>
        CallAsync<SentMessageView>(HttpMethod.Get, $"api/v1/referrals/{messageId}?content=false", null, HttpStatusCode.OK, cancellationToken);

    public Task<List<CaseRead>> CaseReadsAsync(string caseId, CancellationToken cancellationToken) =>
        CallAsync<List<CaseRead>>(HttpMethod.Get, $"api/v1/oversight/cases/{caseId}/reads", null, HttpStatusCode.OK, cancellationToken);

    public Task<SubjectReport> SubjectReportAsync(string subjectRef, CancellationToken cancellationToken) =>
        CallAsync<SubjectReport>(HttpMethod.Post, "api/v1/oversight/subject-report", new SubjectReportRequest(subjectRef), HttpStatusCode.OK, cancellationToken);

    public Task<List<InboxItem>> ListInboxAsync(CancellationToken cancellationToken) =>
        CallAsync<List<InboxItem>>(HttpMethod.Get, "api/v1/inbox", null, HttpStatusCode.OK, cancellationToken);

    public Task<SendMessageAccepted> ReplyAsync(Guid receivedId, ReplyRequest reply, CancellationToken cancellationToken) =>
        CallAsync<SendMessageAccepted>(HttpMethod.Post, $"api/v1/inbox/{receivedId}/replies", reply, HttpStatusCode.Accepted, cancellationToken);

    /// <summary>The status of <c>GET /api/v1/inbox/{id}</c>: 200 while the content is held, 410 once erased. The body is not read.</summary>
    public async Task<HttpStatusCode> ReadReceivedStatusAsync(Guid messageId, CancellationToken cancellationToken)
    {
        using var response = await ExchangeAsync(new HttpRequestMessage(HttpMethod.Get, $"api/v1/inbox/{messageId}"), cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Polls a sent message until it is delivered, failed or cancelled, or the deadline passes; returns the last status.</summary>
    public async Task<SentMessageView> WaitUntilSettledAsync(Guid messageId, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var status = await GetSentAsync(messageId, cancellationToken);
        while (status.State is not (DeliveryState.Delivered or DeliveryState.Failed or DeliveryState.Cancelled) && _time.GetElapsedTime(started) < deadline)
        {
            await Task.Delay(PollInterval, _time, cancellationToken);
            status = await GetSentAsync(messageId, cancellationToken);
        }

        return status;
    }

    /// <summary>Polls the inbox until the message has arrived; null when the deadline passes first.</summary>
    public async Task<InboxItem?> WaitForReceivedAsync(Guid messageId, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            if ((await ListInboxAsync(cancellationToken)).Find(item => item.MessageId == messageId) is { } received)
            {
                return received;
            }

            if (_time.GetElapsedTime(started) >= deadline)
            {
                return null;
            }

            await Task.Delay(PollInterval, _time, cancellationToken);
        }
    }

    /// <summary>Polls a consent until every one of <paramref name="peers"/> confirmed erasure, or the deadline passes; returns the last view.</summary>
    public async Task<ConsentView> WaitForErasureConfirmationsAsync(Guid consentId, IReadOnlyList<string> peers, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var view = await GetConsentAsync(consentId, cancellationToken);
        while (!peers.All(peer => view.Erasures.Any(erasure => erasure.PeerId == peer && erasure.ConfirmedAt is not null)) && _time.GetElapsedTime(started) < deadline)
        {
            await Task.Delay(PollInterval, _time, cancellationToken);
            view = await GetConsentAsync(consentId, cancellationToken);
        }

        return view;
    }

    public void Dispose()
    {
        _http.Dispose();
        _clientCertificate.Dispose();
        _internalCa.Dispose();
    }

    private async Task<T> CallAsync<T>(HttpMethod method, string path, object? body, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        using var response = await ExchangeAsync(request, cancellationToken);
        if (response.StatusCode != expected)
        {
            throw new DemoStepException($"{NodeId} {method} /{path} answered {(int)response.StatusCode}{await DescribeProblemAsync(response, cancellationToken)}");
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new DemoStepException($"{NodeId} {method} /{path} answered {(int)response.StatusCode} without a body");
    }

    private async Task<HttpResponseMessage> ExchangeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new DemoStepException($"{NodeId} internal API at {BaseAddress} did not answer {request.Method} /{request.RequestUri}: {exception.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DemoStepException($"{NodeId} internal API did not answer {request.Method} /{request.RequestUri} within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    // The API's problems name a code, fields and rules, never values (ComposeRefusal), so they can be shown as they are.
    private static async Task<string> DescribeProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemView>(Json, cancellationToken);
            return problem is null ? string.Empty
                : $" {problem.Title}: {problem.Detail}{(problem.Problems is { Count: > 0 } list ? $" ({string.Join("; ", list)})" : string.Empty)}";
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            return string.Empty;
        }
    }

    private bool IsInternalServer(X509Certificate? certificate, SslPolicyErrors errors)
    {
        // The name must match; the chain is judged against the node's internal CA alone, not the machine's roots.
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_internalCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        return chain.Build(server);
    }

    private sealed record ProblemView(string? Title, string? Detail, IReadOnlyList<string>? Problems);
}
