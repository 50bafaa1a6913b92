using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Gateway.Service.Node;

namespace Gateway.Service.Peering;

/// <summary>The peer listener's endpoints (DESIGN §4), reachable only on the mutual-TLS port.</summary>
internal static class PeerApi
{
    public static void MapPeerApiV1(this IEndpointRouteBuilder app, int peerPort)
    {
        var peer = app.MapGroup("/peer/v1").RequireListener(peerPort);
        peer.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        peer.MapPost("/envelopes", ReceiveAsync);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, InboundEnvelopeReceiver receiver, IOptions<PeerEndpointOptions> options, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var limit = options.Value.MaxEnvelopeBytes;
        if (request.ContentLength > limit)
        {
            // Refuse on the declared length, before a byte of the body is read.
            context.Response.Headers.Connection = "close";
            return new GatewayProblem(413, PeerProtocolCodes.TooLarge, $"envelopes are limited to {limit} bytes").ToResult();
        }

        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, RoutingHeaders.EnvelopeMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return new GatewayProblem(415, PeerProtocolCodes.UnsupportedMediaType, $"the body must be {RoutingHeaders.EnvelopeMediaType}").ToResult();
        }

        if (ParseRouting(request.Headers) is not { } routing)
        {
            return new GatewayProblem(400, PeerProtocolCodes.RoutingHeaderMissing,
                $"{RoutingHeaders.MessageId} (a UUID), {RoutingHeaders.From}, {RoutingHeaders.To} and {RoutingHeaders.MessageType} are required").ToResult();
        }

        byte[] envelope;
        try
        {
            context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = limit;
            envelope = await ReadBodyAsync(request, limit, cancellationToken);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new GatewayProblem(413, PeerProtocolCodes.TooLarge, $"envelopes are limited to {limit} bytes").ToResult();
        }
        catch (BadHttpRequestException exception)
        {
            // Broken framing (chunk sizes, trailers) or a body slower than the minimum data rate: the partner's fault, not ours.
            context.Response.Headers.Connection = "close";
            return exception.StatusCode == StatusCodes.Status408RequestTimeout
                ? new GatewayProblem(408, PeerProtocolCodes.BodyTooSlow, "the body arrived slower than this node's minimum data rate").ToResult()
                : new GatewayProblem(400, PeerProtocolCodes.MalformedRequest, "the request's framing is not valid HTTP/1.1").ToResult();
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // Kestrel reports some unreadable framing (a chunk size that overflows) as an I/O error on the body.
            context.Response.Headers.Connection = "close";
            return new GatewayProblem(400, PeerProtocolCodes.MalformedRequest, "the request's framing is not valid HTTP/1.1").ToResult();
        }

        var result = await receiver.ReceiveAsync(context.Connection.ClientCertificate, routing, envelope, cancellationToken);
        return result.Rejection is { } rejection
            ? rejection.ToResult()
            : Results.Bytes(result.Receipt!, RoutingHeaders.EnvelopeMediaType);
    }

    private static RoutingValues? ParseRouting(IHeaderDictionary headers)
    {
        string? Header(string name) => headers.TryGetValue(name, out var value) && value.Count == 1 && !string.IsNullOrWhiteSpace(value[0]) ? value[0] : null;
        return Guid.TryParse(Header(RoutingHeaders.MessageId), out var messageId)
            && Header(RoutingHeaders.From) is { } from && Header(RoutingHeaders.To) is { } to && Header(RoutingHeaders.MessageType) is { } type
            ? new RoutingValues(messageId, from, to, type)
            : null;
    }

    /// <summary>
    /// The body in one array: read straight into an array of the declared length when there is one within the limit
    /// (no growing buffer, no second copy — a 1 MiB envelope costs 1 MiB), through a buffer otherwise (chunked).
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length && length <= limit)
        {
            var body = new byte[length];
            try
            {
                await request.Body.ReadExactlyAsync(body, cancellationToken);
            }
            catch (EndOfStreamException exception)
            {
                throw new BadHttpRequestException("the body ended before its declared length", StatusCodes.Status400BadRequest, exception);
            }

            return body;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
