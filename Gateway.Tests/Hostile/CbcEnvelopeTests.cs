using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.Contracts.Envelopes;
using Gateway.Crypto;
using Gateway.Crypto.DevPki;
using Gateway.Tests.Crypto;
using Gateway.Tests.Federation;
using Xunit.Abstractions;

namespace Gateway.Tests.Hostile;

/// <summary>
/// AES-CBC envelopes at a running FI-NRM's peer endpoint (issue #18). CBC authenticates nothing, so a node that told a
/// bad padding from a bad signature would be a padding oracle for anyone holding a CBC envelope addressed to it: CBC is
/// refused before decryption from a peer not configured for it, and from one that is, every failure after the content
/// key is recovered gets one answer. OpenSSL makes the envelopes and judges which altered copy has the valid padding.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class CbcEnvelopeTests(PeerEndpointFixture node, ITestOutputHelper output) : IClassFixture<PeerEndpointFixture>, IDisposable
{
    private const string Estonia = PeerEndpointFixture.Estonia;
    private const string Finland = PeerEndpointFixture.Finland;

    /// <summary>Requests per padding variant for the timing comparison, sent alternately.</summary>
    private const int TimedRounds = 40;

    /// <summary>
    /// "Not grossly different": the slower median within three times the faster plus 25 ms. A padding verdict answered
    /// before any parsing would be several times faster on loopback; scheduling noise on two busy cores stays inside.
    /// </summary>
    private const double TimingFactor = 3;

    private static readonly TimeSpan TimingSlack = TimeSpan.FromMilliseconds(25);

    private readonly ScratchDirectory _scratch = new();

    [Fact]
    public async Task An_AES_CBC_envelope_from_a_peer_not_configured_for_CBC_is_refused_with_UNSUPPORTED_ALGORITHM_whatever_its_ciphertext()
    {
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var envelope = await SealCbcWithOpenSslAsync(payload);
        var garbled = Tampering.FlipByteAt(Tampering.FlipByteAt(envelope, envelope.Length - 1, 0xff), envelope.Length - 17, 0x80);
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));

        foreach (var body in new[] { envelope, garbled })
        {
            using var response = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(body, payload.Header));

            Assert.Equal(new PeerAnswer(422, EnvelopeErrorCodes.UnsupportedAlgorithm, PeerAnswer.ProblemMediaType), await PeerAnswer.ReadAsync(response));
        }

        Assert.Null(await node.Node.Stores.Inbox.GetAsync(payload.Header.MessageId, CancellationToken.None));
    }

    [Fact]
    public async Task An_AES_CBC_envelope_from_a_peer_configured_with_acceptCbc_is_accepted_and_stored()
    {
        await using var finland = await StartFinlandAcceptingCbcFromEstoniaAsync();
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var envelope = await SealCbcWithOpenSslAsync(payload);
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));

        using var response = await client.SendAsync(EnvelopeRequestTo(finland, envelope, payload.Header));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(envelope, await finland.Stores.ReceivedEnvelopeAsync(payload.Header.MessageId, CancellationToken.None));
    }

    [Fact]
    public async Task Both_CBC_padding_variants_of_one_envelope_get_the_same_status_code_and_body_and_neither_is_grossly_slower()
    {
        await using var finland = await StartFinlandAcceptingCbcFromEstoniaAsync();
        var payload = PeerEndpointFixture.PayloadFrom(Estonia);
        var envelope = await SealCbcWithOpenSslAsync(payload);
        var ciphertext = CmsParts.CbcCiphertext(envelope);
        Assert.True(ciphertext.Length >= 48 && envelope.AsSpan().EndsWith(ciphertext), "the ciphertext (three blocks or more) ends the envelope");

        // A bit of block n-2 flipped garbles that block and flips the same bit of block n-1: the padding, in block n, stays valid.
        var validPadding = Tampering.FlipByteAt(envelope, envelope.Length - 33);

        // The top bit of block n-1's last byte flipped turns the padding length (1 to 16) in block n into 0x81 to 0x90.
        var invalidPadding = Tampering.FlipByteAt(envelope, envelope.Length - 17, 0x80);
        Assert.True(await OpenSslDecryptsAsync(validPadding), "OpenSSL finds the padding of the first variant valid");
        Assert.False(await OpenSslDecryptsAsync(invalidPadding), "OpenSSL finds the padding of the second variant invalid");
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(Estonia));
        var variants = new[] { ("valid padding", validPadding), ("invalid padding", invalidPadding) };
        foreach (var (_, body) in variants)
        {
            await AskAsync(client, finland, body, payload.Header); // warm-up: connection, JIT
        }

        var answers = variants.ToDictionary(variant => variant.Item1, _ => new List<(string Answer, TimeSpan Took)>());
        for (var round = 0; round < TimedRounds; round++)
        {
            foreach (var (name, body) in round % 2 == 0 ? variants : variants.Reverse())
            {
                answers[name].Add(await AskAsync(client, finland, body, payload.Header));
            }
        }

        var valid = answers["valid padding"];
        var invalid = answers["invalid padding"];
        var validMedian = Median(valid.Select(answer => answer.Took));
        var invalidMedian = Median(invalid.Select(answer => answer.Took));
        output.WriteLine($"answer: {valid[0].Answer}");
        output.WriteLine($"median over {TimedRounds}: valid padding {validMedian.TotalMilliseconds:F2} ms, invalid padding {invalidMedian.TotalMilliseconds:F2} ms");
        var distinct = answers.SelectMany(variant => variant.Value.Select(answer => $"{variant.Key}: {answer.Answer}")).Distinct().ToList();
        Assert.True(distinct.Count == 2 && valid.Concat(invalid).All(answer => answer.Answer == valid[0].Answer),
            $"the padding variants were not all answered alike:{Environment.NewLine}{string.Join(Environment.NewLine, distinct)}");
        Assert.Contains($"\"code\":\"{EnvelopeErrorCodes.DecryptionFailed}\"", valid[0].Answer);
        Assert.StartsWith("422 ", valid[0].Answer);
        var (slower, faster) = validMedian > invalidMedian ? (validMedian, invalidMedian) : (invalidMedian, validMedian);
        Assert.True(slower <= faster * TimingFactor + TimingSlack, $"one padding variant is answered grossly slower: {slower.TotalMilliseconds:F2} against {faster.TotalMilliseconds:F2} ms");
        Assert.Equal(0, await finland.Stores.Inbox.CountAsync(CancellationToken.None));
    }

    public void Dispose() => _scratch.Dispose();

    private Task<GatewayNode> StartFinlandAcceptingCbcFromEstoniaAsync() =>
        node.StartAnotherFinlandAsync(registry => registry with
        {
            Peers = [.. registry.Peers.Select(peer => peer.Id == Estonia ? peer with { AcceptCbc = true } : peer)],
        });

    private static HttpRequestMessage EnvelopeRequestTo(GatewayNode finland, byte[] envelope, EnvelopeHeader header)
    {
        var request = PeerEndpointFixture.EnvelopeRequest(envelope, header);
        request.RequestUri = finland.PeerEndpoint;
        return request;
    }

    /// <summary>One request: status, media type and the problem document without its per-request trace id; and how long the answer took.</summary>
    private static async Task<(string Answer, TimeSpan Took)> AskAsync(HttpClient client, GatewayNode finland, byte[] envelope, EnvelopeHeader header)
    {
        using var request = EnvelopeRequestTo(finland, envelope, header);
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        var problem = JsonNode.Parse(body)!.AsObject();
        problem.Remove("traceId");
        return ($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {problem.ToJsonString()}", clock.Elapsed);
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Signed by EE-SKA and encrypted to FI-NRM with OpenSSL's <c>-aes-256-cbc</c>: EnvelopedData, as a partner with only OpenSSL would send it.</summary>
    private Task<byte[]> SealCbcWithOpenSslAsync(EnvelopePayload payload)
    {
        var estonia = DevPkiLayout.NodeFolder(node.Federation.Pki, Estonia);
        return OpenSsl.SignAndEncryptAsync(
            _scratch.Path, SyntheticPayloads.Json(payload), Path.Combine(estonia, "sign.crt"), Path.Combine(estonia, "sign.key"),
            "-aes-256-cbc", ["-recip", Path.Combine(DevPkiLayout.NodeFolder(node.Federation.Pki, Finland), "enc.crt"), "-keyopt", "ecdh_kdf_md:sha256"]);
    }

    /// <summary>Whether <c>openssl cms -decrypt</c> with FI-NRM's key gets through the content decryption, padding included.</summary>
    private async Task<bool> OpenSslDecryptsAsync(byte[] envelope)
    {
        var finland = DevPkiLayout.NodeFolder(node.Federation.Pki, Finland);
        await File.WriteAllBytesAsync(_scratch.File("variant.der"), envelope);
        var result = await OpenSsl.RunAsync(_scratch.Path, [
            "cms", "-decrypt", "-binary", "-inform", "DER", "-in", "variant.der",
            "-recip", Path.Combine(finland, "enc.crt"), "-inkey", Path.Combine(finland, "enc.key"), "-out", "variant.plain"]);
        return result.ExitCode == 0;
    }
}
