using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Receipts;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Receipts;
using Gateway.Service.Peering;

namespace Gateway.Tests.Federation;

/// <summary>
/// <c>/peer/v1</c> of a running FI-NRM node as partners meet it (DESIGN §2 and §4): real mutual TLS on loopback, real
/// envelopes, the node's own store. EE-SKA and LV-NGO-SAFEHOUSE are registered peers that are not running; the tests
/// speak for them with their keys.
/// </summary>
[Trait("Category", "Peering")]
public sealed class PeerEndpointTests(PeerEndpointFixture node) : IClassFixture<PeerEndpointFixture>
{
    private const string Estonia = PeerEndpointFixture.Estonia;
    private const string Finland = PeerEndpointFixture.Finland;
    private const string Shelter = PeerEndpointFixture.Shelter;
    private const long FiftyMebibytes = 50L * 1024 * 1024;
    private const long FarLessThanTheBody = 8L * 1024 * 1024;

    // The TLS handshake

    [Fact]
    public async Task A_request_without_a_client_certificate_fails_without_any_HTTP_status()
    {
        using var client = node.ClientWith(clientCertificate: null);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/peer/v1/health"));
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task A_TLS_session_without_a_client_certificate_ends_before_any_HTTP_byte(SslProtocols protocol)
    {
        var answer = await node.RawHealthAsync(clientCertificate: null, protocol);

        Assert.Empty(answer.Received);
    }

    [Fact]
    public async Task A_request_with_a_client_certificate_from_a_CA_nobody_trusts_fails_without_any_HTTP_status()
    {
        using var client = node.ClientWith(node.CertificateFromUntrustedCa());

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/peer/v1/health"));
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task A_TLS_session_with_a_client_certificate_from_a_CA_nobody_trusts_ends_before_any_HTTP_byte(SslProtocols protocol)
    {
        var answer = await node.RawHealthAsync(node.CertificateFromUntrustedCa(), protocol);

        Assert.Empty(answer.Received);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task A_TLS_session_with_a_registered_peers_certificate_gets_an_HTTP_answer(SslProtocols protocol)
    {
        var answer = await node.RawHealthAsync(node.RegisteredTlsCertificateOf(Estonia), protocol);

        Assert.Equal(200, answer.Status);
    }

    // Who is calling

    [Fact]
    public async Task A_TLS_certificate_of_a_trusted_CA_that_no_peer_registered_is_refused_with_PEER_NOT_PINNED()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var client = node.ClientWith(node.UnregisteredTlsCertificateFrom("EE"));
        var before = await InboundCountAsync();

        using var response = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Estonia), payload.Header));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, PeerProtocolCodes.PeerNotPinned);
        await AssertNothingStoredAsync(before, payload.Header.MessageId);
    }

    [Fact]
    public async Task An_envelope_signed_by_another_peer_than_the_TLS_client_is_refused_with_SIGNER_NOT_TLS_PEER()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Shelter);
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        var before = await InboundCountAsync();

        using var response = await client.SendAsync(
            PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Shelter), payload.Header with { From = Estonia }));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, PeerProtocolCodes.SignerNotTlsPeer);
        await AssertNothingStoredAsync(before, payload.Header.MessageId);
    }

    [Fact]
    public async Task A_routing_sender_other_than_the_TLS_client_is_refused_with_SIGNER_NOT_TLS_PEER()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Shelter);
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        var before = await InboundCountAsync();

        using var response = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Shelter), payload.Header));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, PeerProtocolCodes.SignerNotTlsPeer);
        await AssertNothingStoredAsync(before, payload.Header.MessageId);
    }

    // Size

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_with_TOO_LARGE_before_a_byte_of_the_body_is_asked_for()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var body = new PeerEndpointFillerBody(FiftyMebibytes);
        var content = new StreamContent(body);
        content.Headers.ContentLength = FiftyMebibytes;
        using var request = PeerEndpointFixture.EnvelopeRequest(content, payload.Header);

        // The client waits for the server's word before sending the body (RFC 9110 §10.1.1).
        request.Headers.ExpectContinue = true;
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, PeerProtocolCodes.TooLarge);
        Assert.Equal(0, body.Produced);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_answered_with_TOO_LARGE_while_the_sender_is_still_sending()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var body = new PeerEndpointFillerBody(FiftyMebibytes);
        await using var client = await node.ConnectRawAsync(node.RegisteredTlsCertificateOf(Estonia), SslProtocols.Tls13);

        var answer = await client.ExchangeAsync(node.EnvelopeHead(payload.Header, $"Content-Length: {FiftyMebibytes}"), body);

        AssertProblem(answer, 413, PeerProtocolCodes.TooLarge);
        Assert.InRange(body.Produced, 0, FarLessThanTheBody);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_with_TOO_LARGE_once_it_passes_the_limit()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var body = new PeerEndpointFillerBody(FiftyMebibytes);
        await using var client = await node.ConnectRawAsync(node.RegisteredTlsCertificateOf(Estonia), SslProtocols.Tls13);
        var before = await InboundCountAsync();

        var answer = await client.ExchangeAsync(node.EnvelopeHead(payload.Header, "Transfer-Encoding: chunked"), body, chunked: true);

        AssertProblem(answer, 413, PeerProtocolCodes.TooLarge);
        Assert.InRange(body.Produced, PeerEndpointFixture.MaxEnvelopeBytes, FarLessThanTheBody);
        await AssertNothingStoredAsync(before, payload.Header.MessageId);
    }

    // Receipts and idempotency

    [Fact]
    public async Task A_valid_envelope_from_a_registered_peer_is_answered_with_a_receipt_the_sender_verifies()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var envelope = node.Seal(payload, Estonia);
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));

        using var response = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(envelope, payload.Header));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RoutingHeaders.EnvelopeMediaType, response.Content.Headers.ContentType?.MediaType);
        var verifier = new ReceiptVerifier(DevPkiLayout.LoadPeers(node.Federation.Pki, Estonia), new CertificateValidator(TimeProvider.System));
        var receipt = verifier.Verify(await response.Content.ReadAsByteArrayAsync(), Finland, payload.Header.MessageId, envelope);
        Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
    }

    [Fact]
    public async Task The_same_envelope_delivered_again_is_answered_with_the_original_receipt_byte_for_byte()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var envelope = node.Seal(payload, Estonia);
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        using var first = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(envelope, payload.Header));
        var original = await first.Content.ReadAsByteArrayAsync();

        using var again = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(envelope, payload.Header));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(original, await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_same_message_id_with_different_bytes_is_refused_with_REPLAYED_and_the_first_envelope_is_kept()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var envelope = node.Seal(payload, Estonia);
        var resealed = node.Seal(payload, Estonia);
        Assert.NotEqual(envelope, resealed);
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        using var first = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(envelope, payload.Header));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var replay = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(resealed, payload.Header));

        await AssertProblemAsync(replay, HttpStatusCode.Conflict, PeerProtocolCodes.Replayed);
        Assert.Equal(envelope, await node.Node.Stores.ReceivedEnvelopeAsync(payload.Header.MessageId, CancellationToken.None));
    }

    // Routing headers and the envelope's header

    [Fact]
    public async Task A_request_without_Gateway_Message_Id_is_refused_with_ROUTING_HEADER_MISSING()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var request = PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Estonia), payload.Header);
        request.Headers.Remove(RoutingHeaders.MessageId);

        await AssertRefusedAndNothingStoredAsync(request, payload.Header, HttpStatusCode.BadRequest, PeerProtocolCodes.RoutingHeaderMissing);
    }

    [Fact]
    public async Task A_request_whose_Gateway_To_names_another_node_is_refused_with_NOT_FOR_THIS_NODE()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var request = PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Estonia), payload.Header with { To = Shelter });

        await AssertRefusedAndNothingStoredAsync(request, payload.Header, HttpStatusCode.UnprocessableEntity, EnvelopeErrorCodes.NotForThisNode);
    }

    [Fact]
    public async Task A_Gateway_Message_Type_other_than_the_signed_one_is_refused_with_ROUTING_MISMATCH()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var request = PeerEndpointFixture.EnvelopeRequest(
            node.Seal(payload, Estonia), payload.Header with { MessageType = MessageTypes.StatusUpdate });

        await AssertRefusedAndNothingStoredAsync(request, payload.Header, HttpStatusCode.UnprocessableEntity, PeerProtocolCodes.RoutingMismatch);
    }

    [Fact]
    public async Task A_body_that_is_not_application_cms_is_refused_with_UNSUPPORTED_MEDIA_TYPE()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var request = PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Estonia), payload.Header);
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        await AssertRefusedAndNothingStoredAsync(request, payload.Header, HttpStatusCode.UnsupportedMediaType, PeerProtocolCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_that_is_not_CMS_is_refused_with_MALFORMED()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var request = PeerEndpointFixture.EnvelopeRequest("not a CMS structure, just text"u8.ToArray(), payload.Header);

        await AssertRefusedAndNothingStoredAsync(request, payload.Header, HttpStatusCode.BadRequest, EnvelopeErrorCodes.Malformed);
    }

    [Fact]
    public async Task An_envelope_created_30_days_ago_is_refused_with_NOT_FRESH()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia, createdAt: DateTimeOffset.UtcNow.AddDays(-30));
        using var request = PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Estonia), payload.Header);

        await AssertRefusedAndNothingStoredAsync(request, payload.Header, HttpStatusCode.UnprocessableEntity, PeerProtocolCodes.NotFresh);
    }

    // Listeners

    [Fact]
    public async Task The_peer_health_endpoint_answers_a_registered_peer_over_mutual_TLS()
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));

        using var response = await client.GetAsync("/peer/v1/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_peer_API_answers_whatever_port_the_Host_header_names_as_partners_may_come_through_port_mapping()
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/peer/v1/health");
        request.Headers.Host = "fi-nrm.gateway.test:443";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/peer/v1/health")]
    [InlineData("POST", "/peer/v1/envelopes")]
    public async Task The_peer_API_is_not_reachable_on_the_internal_port(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await node.Node.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_peer_API_is_not_reachable_on_the_internal_port_even_when_the_Host_header_names_the_peer_port()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/peer/v1/health");
        request.Headers.Host = $"localhost:{node.PeerPort}";

        using var response = await node.Node.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_internal_API_is_not_reachable_on_the_peer_port()
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));

        // On the internal port this body is answered (400: it is not a send request); here it must not be.
        using var response = await client.PostAsync("/api/v1/referrals", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_internal_API_is_not_reachable_on_the_peer_port_even_when_the_Host_header_names_the_internal_port()
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/referrals") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Host = $"localhost:{node.InternalPort}";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private Task<int> InboundCountAsync() => node.Node.Stores.Inbox.CountAsync(CancellationToken.None);

    /// <summary>Sends as EE-SKA over its registered TLS certificate and expects a refusal that leaves the store as it was.</summary>
    private async Task AssertRefusedAndNothingStoredAsync(HttpRequestMessage request, EnvelopeHeader header, HttpStatusCode status, string code)
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        var before = await InboundCountAsync();

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, status, code);
        await AssertNothingStoredAsync(before, header.MessageId);
    }

    private async Task AssertNothingStoredAsync(int countBefore, Guid messageId)
    {
        Assert.Equal(countBefore, await InboundCountAsync());
        Assert.Null(await node.Node.Stores.Inbox.GetAsync(messageId, CancellationToken.None));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal<(HttpStatusCode, string?)>((status, code), (response.StatusCode, CodeOf(body)));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static void AssertProblem(PeerEndpointRawAnswer answer, int status, string code)
    {
        Assert.Equal<(int?, string?)>((status, code), (answer.Status, CodeOf(answer.Body())));
        Assert.Equal("application/problem+json", answer.Header("Content-Type")?.Split(';')[0]);
    }

    private static string? CodeOf(byte[] problem)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            return document.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
