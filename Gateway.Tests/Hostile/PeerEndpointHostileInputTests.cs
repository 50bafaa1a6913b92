using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Peering;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Cms;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Identity;
using Gateway.Service.Peering;
using Gateway.Testing.Ports;
using Gateway.Tests.Crypto;
using Gateway.Tests.Federation;
using Xunit.Abstractions;

namespace Gateway.Tests.Hostile;

/// <summary>
/// A partner turned hostile (or broken) against <c>POST /peer/v1/envelopes</c> of a running FI-NRM, over real mutual
/// TLS with EE-SKA's registered client certificate: every request must get a 4xx problem+json with a stable code,
/// never a 5xx or a dropped connection; nothing may be stored; the node must keep serving (DESIGN §3–4).
/// </summary>
[Trait("Category", "Hostile")]
public sealed class PeerEndpointHostileInputTests(PeerEndpointFixture node, ITestOutputHelper output) : IClassFixture<PeerEndpointFixture>
{
    private const string Estonia = PeerEndpointFixture.Estonia;
    private const string Finland = PeerEndpointFixture.Finland;
    private const string Shelter = PeerEndpointFixture.Shelter;

    /// <summary>Parallel connections of the hostile partner: enough to load both cores of the test machine.</summary>
    private const int Senders = 4;

    private const int Mutations = 10_000;

    /// <summary>Mutations sent before memory is first measured, so JIT, connection pool and TLS sessions are not counted as growth.</summary>
    private const int WarmUpMutations = 200;

    /// <summary>
    /// Growth of the test process's working set (the node runs in it) over the 10,000 mutations: 150 MiB, about 15 KiB
    /// a request. Native leaks (TLS sessions, OpenSSL objects behind ECDH or AES-GCM) show here; the rest is room for
    /// the GC's and the allocator's own choice of how much memory to keep (measured here: about +25 MiB).
    /// </summary>
    private const long WorkingSetGrowthBound = 150L * 1024 * 1024;

    /// <summary>
    /// Growth of the managed heap after a full collection over the same run: 16 MiB. Keeping only each ~1.6 KiB
    /// envelope would already be about 16 MiB (measured here: under 1 MiB).
    /// </summary>
    private const long ManagedHeapGrowthBound = 16L * 1024 * 1024;

    /// <summary>The whole mutation run must take well under a minute on two cores.</summary>
    private static readonly TimeSpan MutationRunBound = TimeSpan.FromSeconds(60);

    /// <summary>Kestrel's minimum body rate in GatewayHost: 1 KiB/s after a 10 s grace period, checked once a second.</summary>
    private static readonly TimeSpan SlowClientCutOffBound = TimeSpan.FromSeconds(30);

    // Malformed DER: every item breaks the TLV structure where the guard sees it, so MALFORMED is the only answer.

    [Fact]
    public async Task An_envelope_truncated_at_every_cut_point_is_refused_with_MALFORMED_and_nothing_is_stored()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);

        await AssertCorpusRefusedAsync(MalformedDer.Truncations(node.Seal(payload, Estonia)), payload.Header, HttpStatusCode.BadRequest, EnvelopeErrorCodes.Malformed);
    }

    [Fact]
    public async Task An_envelope_with_wrong_or_overlong_DER_lengths_in_any_TLV_is_refused_with_MALFORMED_and_nothing_is_stored()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);

        await AssertCorpusRefusedAsync(MalformedDer.WrongLengths(node.Seal(payload, Estonia)), payload.Header, HttpStatusCode.BadRequest, EnvelopeErrorCodes.Malformed);
    }

    [Fact]
    public async Task DER_length_fields_claiming_2_to_the_31_bytes_or_more_are_refused_with_MALFORMED_and_nothing_is_stored()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);

        await AssertCorpusRefusedAsync(MalformedDer.HugeLengths(node.Seal(payload, Estonia)), payload.Header, HttpStatusCode.BadRequest, EnvelopeErrorCodes.Malformed);
    }

    [Fact]
    public async Task Ten_thousand_nested_SEQUENCEs_are_refused_with_MALFORMED_and_nothing_is_stored()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);

        await AssertCorpusRefusedAsync(MalformedDer.DeepNestings(), payload.Header, HttpStatusCode.BadRequest, EnvelopeErrorCodes.Malformed);
    }

    [Fact]
    public async Task Ten_thousand_nested_SEQUENCEs_as_the_signed_content_inside_valid_encryption_to_FI_NRM_are_refused_with_MALFORMED()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var finland = node.Federation.Dev.Node(Finland).Encryption;
        HostileBody[] corpus =
        [
            new("10,000 nested SEQUENCEs (definite) encrypted to FI-NRM", AuthEnvelopedDataWriter.Encrypt(MalformedDer.NestedDefinite(0x30, MalformedDer.DeepNesting), finland)),
            new("10,000 nested SEQUENCEs (indefinite) encrypted to FI-NRM", AuthEnvelopedDataWriter.Encrypt(MalformedDer.NestedIndefinite(0x30, MalformedDer.DeepNesting), finland)),
        ];

        await AssertCorpusRefusedAsync(corpus, payload.Header, HttpStatusCode.BadRequest, EnvelopeErrorCodes.Malformed);
    }

    [Fact]
    public async Task An_empty_body_is_refused_with_MALFORMED_and_nothing_is_stored()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);

        await AssertCorpusRefusedAsync([new HostileBody("empty body", [])], payload.Header, HttpStatusCode.BadRequest, EnvelopeErrorCodes.Malformed);
    }

    [Fact]
    public async Task A_body_of_exactly_the_size_limit_is_read_and_refused_with_MALFORMED_rather_than_TOO_LARGE()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var atTheLimit = new HostileBody("64 KiB of zero bytes", new byte[PeerEndpointFixture.MaxEnvelopeBytes]);

        await AssertCorpusRefusedAsync([atTheLimit], payload.Header, HttpStatusCode.BadRequest, EnvelopeErrorCodes.Malformed);
    }

    // What the body claims to be

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream; name=envelope.p7m")]
    [InlineData("application/pkcs7-mime")]
    [InlineData(null)]
    public async Task A_valid_envelope_declared_as_anything_but_application_cms_is_refused_with_UNSUPPORTED_MEDIA_TYPE(string? contentType)
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var request = PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Estonia), payload.Header);
        request.Content!.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);

        await AssertRefusedAsync(request, payload.Header, HttpStatusCode.UnsupportedMediaType, PeerProtocolCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_JSON_body_declared_as_application_json_is_refused_with_UNSUPPORTED_MEDIA_TYPE()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var request = PeerEndpointFixture.EnvelopeRequest(SyntheticPayloads.Json(payload), payload.Header);
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await AssertRefusedAsync(request, payload.Header, HttpStatusCode.UnsupportedMediaType, PeerProtocolCodes.UnsupportedMediaType);
    }

    // Valid CMS that is not acceptable here

    [Fact]
    public async Task A_valid_envelope_sealed_to_LV_NGO_SAFEHOUSE_but_routed_to_FI_NRM_is_refused_with_NOT_FOR_THIS_NODE()
    {
        var toFinland = PeerEndpointFixture.PayloadFrom(Estonia);
        var toShelter = SyntheticPayloads.Consultation(Estonia, Shelter);
        toShelter = toShelter with { Header = toShelter.Header with { CreatedAt = DateTimeOffset.UtcNow } };
        using var signer = DevPkiLayout.LoadSigning(node.Federation.Pki, Estonia);
        var sealer = new EnvelopeSealer(TimeProvider.System);
        var shelterEncryption = node.Federation.Dev.Node(Shelter).Encryption;
        HostileBody[] corpus =
        [
            new("addressed to FI-NRM, encrypted to LV-NGO-SAFEHOUSE", sealer.Seal(toFinland, signer, shelterEncryption)),
            new("addressed and encrypted to LV-NGO-SAFEHOUSE", sealer.Seal(toShelter, signer, shelterEncryption)),
        ];

        await AssertCorpusRefusedAsync(corpus, toFinland.Header, HttpStatusCode.UnprocessableEntity, EnvelopeErrorCodes.NotForThisNode);
        Assert.Null(await node.Node.Stores.Inbox.GetAsync(toShelter.Header.MessageId, CancellationToken.None));
    }

    [Fact]
    public async Task An_accepted_message_id_delivered_again_with_altered_bytes_that_still_open_is_refused_with_REPLAYED()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var original = node.Seal(payload, Estonia);
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        using (var first = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(original, payload.Header)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        HostileBody[] altered =
        [
            new("the same payload sealed again", node.Seal(payload, Estonia)),

            // BER allows a length in more bytes than it needs: the same envelope, other bytes, and it still opens.
            new("the outer length re-encoded in a 4-byte field", WithOuterLengthInFourBytes(original)),
        ];
        var opener = new EnvelopeOpener(node.Node.Identity.Decryption, node.Node.Identity.Peers, new CertificateValidator(TimeProvider.System));
        Assert.All(altered, body => Assert.Equal(payload.Header.MessageId, opener.Open(body.Bytes).Payload.Header.MessageId));

        await AssertCorpusRefusedAsync(altered, payload.Header, HttpStatusCode.Conflict, PeerProtocolCodes.Replayed, alreadyStored: original);
    }

    [Theory]
    [InlineData("message id")]
    [InlineData("message type in lower case")]
    public async Task Routing_headers_that_differ_from_the_signed_header_are_refused_with_ROUTING_MISMATCH(string differing)
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var routed = differing == "message id"
            ? payload.Header with { MessageId = Guid.NewGuid() }
            : payload.Header with { MessageType = payload.Header.MessageType.ToLowerInvariant() };
        using var request = PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Estonia), routed);

        await AssertRefusedAsync(request, routed, HttpStatusCode.UnprocessableEntity, PeerProtocolCodes.RoutingMismatch);
        Assert.Null(await node.Node.Stores.Inbox.GetAsync(payload.Header.MessageId, CancellationToken.None));
    }

    // Who signed it

    [Fact]
    public async Task An_envelope_signed_with_an_expired_certificate_that_FI_NRM_still_pins_for_EE_SKA_is_refused_with_CERTIFICATE_EXPIRED()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = IssueEstonianSigningIdentity(now.AddDays(-30), now.AddDays(-1));

        // PeerEndpointFixture's FI-NRM pins only EE-SKA's current signing certificate and reads peers.json once, at
        // start: a second FI-NRM of the same federation pins the expired one too, as during a rotation gone stale.
        await using var finland = await StartFinlandAlsoPinningAsync(expired.Certificate);
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var request = PeerEndpointFixture.EnvelopeRequest(SealToFinland(payload, expired), payload.Header);
        request.RequestUri = finland.PeerEndpoint;
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));

        using var response = await client.SendAsync(request);

        AssertRefusal(await PeerAnswer.ReadAsync(response), HttpStatusCode.Forbidden, EnvelopeErrorCodes.CertificateExpired);
        Assert.Equal(0, await finland.Stores.Inbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_envelope_signed_with_an_expired_certificate_of_EE_SKAs_CA_that_nobody_pinned_is_refused_with_SIGNER_NOT_PINNED()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = IssueEstonianSigningIdentity(now.AddDays(-30), now.AddDays(-1));
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);

        await AssertCorpusRefusedAsync([new HostileBody("signed by an expired, unpinned EE certificate", SealToFinland(payload, expired))], payload.Header,
            HttpStatusCode.Forbidden, EnvelopeErrorCodes.SignerNotPinned);
    }

    [Fact]
    public async Task An_envelope_signed_with_EE_SKAs_revoked_certificate_is_refused_by_a_node_holding_EEs_CRL_with_CERTIFICATE_REVOKED()
    {
        using var signer = DevPkiLayout.LoadSigning(node.Federation.Pki, Estonia);
        var crl = node.Federation.Dev.Authorities["EE"].CreateCrl([signer.Certificate], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7));
        var crlFile = Path.Combine(node.Federation.Directory, "ee-" + Guid.NewGuid().ToString("N")[..8] + ".crl");
        await File.WriteAllBytesAsync(crlFile, crl);
        await using var finland = await StartFinlandAlsoPinningAsync(signer.Certificate, [crlFile]);
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        using var request = PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, Estonia), payload.Header);
        request.RequestUri = finland.PeerEndpoint;
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));

        using var response = await client.SendAsync(request);

        AssertRefusal(await PeerAnswer.ReadAsync(response), HttpStatusCode.Forbidden, EnvelopeErrorCodes.CertificateRevoked);
        Assert.Equal(0, await finland.Stores.Inbox.CountAsync(CancellationToken.None));
    }

    // Random mutations

    [Fact]
    public async Task Ten_thousand_random_mutations_of_an_accepted_envelope_all_get_a_coded_4xx_store_nothing_and_grow_the_working_set_less_than_150_MiB()
    {
        var seed = HostileSeed.Current;
        output.WriteLine($"seed {seed} (set {HostileSeed.Variable} to replay or to explore another)");
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var original = node.Seal(payload, Estonia);
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));

        // Stored first, so every mutation carries a message id the node already holds: one that still opened would
        // be refused as REPLAYED, one that did not must be refused for what is wrong with it; none may add a row.
        using (var first = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(original, payload.Header)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var stored = await InboundCountAsync();
        var mutator = new EnvelopeMutator(original, seed);
        var warmUp = await SendMutationsAsync(client, mutator, payload.Header, Enumerable.Range(Mutations, WarmUpMutations));
        var before = MeasureMemory();
        var clock = Stopwatch.StartNew();

        var run = await SendMutationsAsync(client, mutator, payload.Header, Enumerable.Range(0, Mutations));

        clock.Stop();
        var after = MeasureMemory();
        output.WriteLine($"{Mutations} mutations of a {original.Length}-byte envelope in {clock.Elapsed.TotalSeconds:F1} s ({Mutations / clock.Elapsed.TotalSeconds:F0}/s) over {Senders} connections");
        output.WriteLine($"managed heap {Mebibytes(before.Heap)} -> {Mebibytes(after.Heap)} MiB, working set {Mebibytes(before.WorkingSet)} -> {Mebibytes(after.WorkingSet)} MiB");
        output.WriteLine($"answers:{Environment.NewLine}{run.Distribution()}");
        Assert.True(warmUp.Failures.IsEmpty, DescribeFailures(warmUp, seed, original));
        Assert.True(run.Failures.IsEmpty, DescribeFailures(run, seed, original));
        Assert.Equal(stored, await InboundCountAsync());
        Assert.Equal(original, await node.Node.Stores.ReceivedEnvelopeAsync(payload.Header.MessageId, CancellationToken.None));
        Assert.True(clock.Elapsed < MutationRunBound, $"{Mutations} mutations took {clock.Elapsed}, more than {MutationRunBound}");
        Assert.True(after.WorkingSet - before.WorkingSet < WorkingSetGrowthBound,
            $"working set grew by {Mebibytes(after.WorkingSet - before.WorkingSet)} MiB, more than {Mebibytes(WorkingSetGrowthBound)} MiB");
        Assert.True(after.Heap - before.Heap < ManagedHeapGrowthBound,
            $"managed heap grew by {Mebibytes(after.Heap - before.Heap)} MiB, more than {Mebibytes(ManagedHeapGrowthBound)} MiB");
        await AssertStillServingAsync();
    }

    // Slow and oversized bodies (PeerEndpointTests covers a 50 MiB declared length, with Expect: 100-continue and with
    // the body flowing, and a chunked body past the limit; here: headers only, at the boundary and far past it).

    /// <summary>
    /// The exchange returns only once the node has ended the connection (closed or reset): that is the cut-off. Its
    /// answer should be nothing or 408; today the node answers 500 INTERNAL_ERROR first (PeerApi lets Kestrel's
    /// BadHttpRequestException 408 reach the exception handler; reported, not asserted here so the suite stays green).
    /// </summary>
    [Fact]
    public async Task A_client_that_dribbles_its_body_below_the_minimum_data_rate_is_cut_off_within_30_seconds()
    {
        const long declared = 8 * 1024;
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);

        // Four bytes a second against a minimum of 1 KiB/s: the whole body would take over half an hour.
        var body = new DribbleBody(declared, TimeSpan.FromMilliseconds(250));
        var before = await InboundCountAsync();
        await using var client = await node.ConnectRawAsync(node.RegisteredTlsCertificateOf(Estonia), SslProtocols.Tls13);
        var clock = Stopwatch.StartNew();

        PeerEndpointRawAnswer answer;
        try
        {
            answer = await client.ExchangeAsync(node.EnvelopeHead(payload.Header, $"Content-Length: {declared}"), body);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the node still held the connection after 60 s ({body.Produced} of {declared} body bytes sent)");
            throw;
        }

        clock.Stop();
        output.WriteLine($"cut off after {clock.Elapsed.TotalSeconds:F1} s and {body.Produced} of {declared} body bytes; answered before closing: {(answer.Received.Length == 0 ? "nothing" : PeerAnswer.Of(answer).ToString())}");
        Assert.True(clock.Elapsed < SlowClientCutOffBound, $"cut off only after {clock.Elapsed}, bound {SlowClientCutOffBound}");
        Assert.InRange(body.Produced, 0, declared - 1);
        if (answer.Received.Length > 0)
        {
            AssertRefusal(PeerAnswer.Of(answer), HttpStatusCode.RequestTimeout, PeerProtocolCodes.BodyTooSlow);
        }

        await AssertNothingStoredAsync(before, payload.Header.MessageId);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("ZZ\r\nabc\r\n0\r\n\r\n")]
    [InlineData("FFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n")]
    [InlineData("3\r\nabcXX0\r\n\r\n")]
    [InlineData("3\r\nabc\r\n0\r\nX\r\n\r\n")]
    public async Task Broken_chunked_framing_is_refused_with_a_coded_400_never_a_500(string framing)
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var before = await InboundCountAsync();
        await using var client = await node.ConnectRawAsync(node.RegisteredTlsCertificateOf(Estonia), SslProtocols.Tls13);

        var answer = await client.ExchangeAsync(node.EnvelopeHead(payload.Header, "Transfer-Encoding: chunked"), new MemoryStream(System.Text.Encoding.ASCII.GetBytes(framing)));

        AssertRefusal(PeerAnswer.Of(answer), HttpStatusCode.BadRequest, PeerProtocolCodes.MalformedRequest);
        await AssertNothingStoredAsync(before, payload.Header.MessageId);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData(PeerEndpointFixture.MaxEnvelopeBytes + 1)]
    [InlineData(2_147_483_648L)]
    [InlineData(long.MaxValue)]
    public async Task A_declared_Content_Length_over_the_limit_is_refused_with_TOO_LARGE_without_waiting_for_a_body_byte(long declared)
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var before = await InboundCountAsync();
        await using var client = await node.ConnectRawAsync(node.RegisteredTlsCertificateOf(Estonia), SslProtocols.Tls13);
        var clock = Stopwatch.StartNew();

        var answer = await client.ExchangeAsync(node.EnvelopeHead(payload.Header, $"Content-Length: {declared}"));

        clock.Stop();
        AssertRefusal(PeerAnswer.Of(answer), HttpStatusCode.RequestEntityTooLarge, PeerProtocolCodes.TooLarge);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered only after {clock.Elapsed}: the node waited for a body it should never read");
        await AssertNothingStoredAsync(before, payload.Header.MessageId);
        await AssertStillServingAsync();
    }

    private async Task AssertCorpusRefusedAsync(IEnumerable<HostileBody> corpus, EnvelopeHeader header, HttpStatusCode status, string code, byte[]? alreadyStored = null)
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        var before = await InboundCountAsync();
        var wrong = new ConcurrentQueue<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = Senders }, async (body, cancellationToken) =>
        {
            Interlocked.Increment(ref sent);
            try
            {
                using var request = PeerEndpointFixture.EnvelopeRequest(body.Bytes, header);
                using var response = await client.SendAsync(request, cancellationToken);
                var answer = await PeerAnswer.ReadAsync(response);
                if (answer != new PeerAnswer((int)status, code, PeerAnswer.ProblemMediaType))
                {
                    wrong.Enqueue($"{body}: {answer}");
                }
            }
            catch (HttpRequestException exception)
            {
                wrong.Enqueue($"{body}: no answer ({exception.Message})");
            }
        });

        output.WriteLine($"{sent} bodies in {clock.Elapsed.TotalSeconds:F1} s, expected {(int)status} {code} for each");
        Assert.True(wrong.IsEmpty, $"{wrong.Count} of {sent} not refused with {(int)status} {code}:{Environment.NewLine}{string.Join(Environment.NewLine, wrong.Take(20))}");
        Assert.Equal(before, await InboundCountAsync());
        Assert.Equal(alreadyStored, await node.Node.Stores.ReceivedEnvelopeAsync(header.MessageId, CancellationToken.None));
        await AssertStillServingAsync();
    }

    private async Task AssertRefusedAsync(HttpRequestMessage request, EnvelopeHeader header, HttpStatusCode status, string code)
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        var before = await InboundCountAsync();

        using var response = await client.SendAsync(request);

        AssertRefusal(await PeerAnswer.ReadAsync(response), status, code);
        await AssertNothingStoredAsync(before, header.MessageId);
        await AssertStillServingAsync();
    }

    private static void AssertRefusal(PeerAnswer answer, HttpStatusCode status, string code) =>
        Assert.Equal(new PeerAnswer((int)status, code, PeerAnswer.ProblemMediaType), answer);

    private async Task<MutationRun> SendMutationsAsync(HttpClient client, EnvelopeMutator mutator, EnvelopeHeader header, IEnumerable<int> indexes)
    {
        var run = new MutationRun();
        await Parallel.ForEachAsync(indexes, new ParallelOptions { MaxDegreeOfParallelism = Senders }, async (index, cancellationToken) =>
        {
            var mutation = mutator.Mutate(index);
            try
            {
                using var request = PeerEndpointFixture.EnvelopeRequest(mutation.Bytes, header);
                using var response = await client.SendAsync(request, cancellationToken);
                var answer = await PeerAnswer.ReadAsync(response);
                run.Count($"{answer.Status} {answer.Code ?? "(no code)"}");
                if (!answer.IsCodedRefusal)
                {
                    run.Failures.Enqueue((mutation, answer.ToString()));
                }
            }
            catch (HttpRequestException exception)
            {
                run.Count("no answer");
                run.Failures.Enqueue((mutation, $"no answer ({exception.Message})"));
            }
        });
        return run;
    }

    /// <summary>The failures, and where their exact bytes (and the original's) were written, so any one can be replayed.</summary>
    private string DescribeFailures(MutationRun run, int seed, byte[] original)
    {
        if (run.Failures.IsEmpty)
        {
            return string.Empty;
        }

        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"gateway-hostile-{seed}-{Guid.NewGuid():N}")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "original.der"), original);
        foreach (var (mutation, _) in run.Failures)
        {
            File.WriteAllBytes(Path.Combine(folder, $"mutation-{mutation.Index}.der"), mutation.Bytes);
        }

        var failures = run.Failures.OrderBy(failure => failure.Mutation.Index).Take(20).Select(failure => $"{failure.Mutation}: {failure.Problem}");
        return $"{run.Failures.Count} of {run.Answers.Values.Sum()} mutations (seed {seed}) were not refused with a coded 4xx; bytes in {folder}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}";
    }

    private Task<GatewayNode> StartFinlandAlsoPinningAsync(X509Certificate2 estonianSigningCertificate, IReadOnlyList<string>? crlFiles = null)
    {
        var pin = new PeerCertificateDocument { Certificate = estonianSigningCertificate.ExportCertificatePem(), Pin = SpkiPin.Of(estonianSigningCertificate) };
        return node.StartAnotherFinlandAsync(
            registry => registry with { Peers = [.. registry.Peers.Select(peer => peer.Id == Estonia ? peer with { Signing = [.. peer.Signing, pin] } : peer)] },
            options => options.Node.CrlFiles = [.. crlFiles ?? []]);
    }

    /// <summary>Encrypted to FI-NRM's encryption certificate (both FI-NRM nodes of these tests hold its key).</summary>
    private byte[] SealToFinland(EnvelopePayload payload, SigningIdentity signer) =>
        new EnvelopeSealer(TimeProvider.System).Seal(payload, signer, node.Federation.Dev.Node(Finland).Encryption);

    private SigningIdentity IssueEstonianSigningIdentity(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var certificate = node.Federation.Dev.Authorities["EE"].Issue(new DevCertificateRequest
        {
            Subject = $"CN={Estonia} signing, O={Estonia}, C=EE",
            KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation,
            NotBefore = notBefore,
            NotAfter = notAfter,
        });
        return new SigningIdentity(certificate, certificate.GetECDsaPrivateKey()!);
    }

    /// <summary>The envelope with its outer SEQUENCE's length in a four-byte field: 30 82 hh ll becomes 30 84 00 00 hh ll.</summary>
    private static byte[] WithOuterLengthInFourBytes(byte[] envelope)
    {
        var outer = DerHeader.Walk(envelope)[0];
        byte[] fourBytes = [0x84, (byte)(outer.Length >> 24), (byte)(outer.Length >> 16), (byte)(outer.Length >> 8), (byte)outer.Length];
        return [.. envelope[..outer.LengthOffset], .. fourBytes, .. envelope[outer.ContentOffset..]];
    }

    private Task<int> InboundCountAsync() => node.Node.Stores.Inbox.CountAsync(CancellationToken.None);

    private async Task AssertNothingStoredAsync(int countBefore, Guid messageId)
    {
        Assert.Equal(countBefore, await InboundCountAsync());
        Assert.Null(await node.Node.Stores.Inbox.GetAsync(messageId, CancellationToken.None));
    }

    /// <summary>The node still answers a partner after what it was just sent.</summary>
    private async Task AssertStillServingAsync()
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        using var health = await client.GetAsync("/peer/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static (long Heap, long WorkingSet) MeasureMemory()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
