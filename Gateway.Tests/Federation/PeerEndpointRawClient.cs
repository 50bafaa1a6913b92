using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.Tests.Federation;

/// <summary>
/// HTTP/1.1 written by hand over a real TLS connection to the peer listener, for what HttpClient hides: how the
/// session ends when the server refuses the client, and an answer that arrives while the body is still being sent.
/// </summary>
internal sealed class PeerEndpointRawClient : IAsyncDisposable
{
    private const int SliceBytes = 16 * 1024;

    private readonly TcpClient _tcp;
    private readonly SslStream _tls;

    private PeerEndpointRawClient(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
    }

    /// <summary>Connects and completes the client's side of the handshake; throws AuthenticationException when that fails.</summary>
    public static async Task<PeerEndpointRawClient> ConnectAsync(int port, X509Certificate2? clientCertificate, SslProtocols protocol, Func<X509Certificate, bool> trustServer)
    {
        // A small send buffer, so that what the client "sent" is close to what reached the server.
        var tcp = new TcpClient { SendBufferSize = 64 * 1024 };
        SslStream? tls = null;
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
            tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = protocol,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && trustServer(certificate),
            });
            return new PeerEndpointRawClient(tcp, tls);
        }
        catch
        {
            if (tls is not null)
            {
                await tls.DisposeAsync();
            }

            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="head"/> (request line and headers, without the blank line) and then <paramref name="body"/>,
    /// as it is (declared length) or chunked, while reading the answer. Sending stops once the answer has started or
    /// the server stops taking bytes; the answer is read until the server closes.
    /// </summary>
    public async Task<PeerEndpointRawAnswer> ExchangeAsync(string head, Stream? body = null, bool chunked = false)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var answerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = ReadUntilClosedAsync(answerStarted, timeout.Token);
        try
        {
            await _tls.WriteAsync(Encoding.ASCII.GetBytes(head + "\r\n\r\n"), timeout.Token);
            if (body is not null)
            {
                var slice = new byte[SliceBytes];
                int count;
                while (!answerStarted.Task.IsCompleted && (count = await body.ReadAsync(slice, timeout.Token)) > 0)
                {
                    if (chunked)
                    {
                        await _tls.WriteAsync(Encoding.ASCII.GetBytes($"{count:X}\r\n"), timeout.Token);
                    }

                    await _tls.WriteAsync(slice.AsMemory(0, count), timeout.Token);
                    if (chunked)
                    {
                        await _tls.WriteAsync("\r\n"u8.ToArray(), timeout.Token);
                    }
                }

                if (chunked && !answerStarted.Task.IsCompleted)
                {
                    await _tls.WriteAsync("0\r\n\r\n"u8.ToArray(), timeout.Token);
                }
            }

            await _tls.FlushAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is IOException or AuthenticationException)
        {
            // The server ended the session while we were still sending: what it answered is in the reader.
        }

        return new PeerEndpointRawAnswer(await reading);
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<byte[]> ReadUntilClosedAsync(TaskCompletionSource answerStarted, CancellationToken cancellationToken)
    {
        using var received = new MemoryStream();
        var buffer = new byte[SliceBytes];
        try
        {
            int count;
            while ((count = await _tls.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received.Write(buffer, 0, count);
                answerStarted.TrySetResult();
            }
        }
        catch (Exception exception) when (exception is IOException or AuthenticationException)
        {
            // Reset, or refused with a TLS alert: keep what arrived before.
        }
        finally
        {
            answerStarted.TrySetResult();
        }

        return received.ToArray();
    }
}
