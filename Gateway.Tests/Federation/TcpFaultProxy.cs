using System.Net;
using System.Net.Sockets;
using Gateway.Testing.Ports;

namespace Gateway.Tests.Federation;

/// <summary>
/// A TCP relay on loopback between a sender and a peer's listener that can misbehave on purpose: refuse connections
/// (peer unreachable), accept and never answer (peer hangs), or hold the answer back (the outcome of an attempt is
/// unknown to the sender). TLS passes through untouched, so the real mutual-TLS handshake and pins still apply.
/// </summary>
internal sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;
    private int _delayedConnectionsLeft;
    private bool _stalled;

    private TcpFaultProxy(int port, int targetPort)
    {
        Port = port;
        _targetPort = targetPort;
    }

    public int Port { get; }

    /// <summary>Accept, then neither connect onward nor answer: a peer that hangs.</summary>
    public bool Hang { get; set; }

    /// <summary>How long the peer's answer is held back on the next <see cref="DelayedConnections"/> connections.</summary>
    public TimeSpan ResponseDelay { get; set; }

    public int DelayedConnections
    {
        get => Volatile.Read(ref _delayedConnectionsLeft);
        set => Volatile.Write(ref _delayedConnectionsLeft, value);
    }

    public int Connections { get; private set; }

    /// <summary>Keep open connections open but pass no byte either way: a network path that silently drops traffic.</summary>
    public bool Stalled
    {
        get => Volatile.Read(ref _stalled);
        set => Volatile.Write(ref _stalled, value);
    }

    public static TcpFaultProxy Start(int targetPort)
    {
        var proxy = new TcpFaultProxy(FreePorts.FindBase(1), targetPort);
        proxy.Open();
        return proxy;
    }

    /// <summary>Stops listening: new connections are refused, open ones are cut.</summary>
    public async Task RefuseAsync()
    {
        _listener?.Stop();
        await _accepting.ConfigureAwait(false);
        _listener = null;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    /// <summary>Listens again after <see cref="RefuseAsync"/>.</summary>
    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        var listener = _listener;
        _accepting = Task.Run(() => AcceptAsync(listener));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await RefuseAsync();
        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            Connections++;
            lock (_open)
            {
                _open.Add(client);
            }

            if (!Hang)
            {
                var delay = Interlocked.Decrement(ref _delayedConnectionsLeft) >= 0 ? ResponseDelay : TimeSpan.Zero;
                _ = Task.Run(() => RelayAsync(client, delay));
            }
        }
    }

    private async Task RelayAsync(TcpClient client, TimeSpan responseDelay)
    {
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            var request = new RequestWatch();
            var toPeer = WatchedCopyAsync(client.GetStream(), upstream.GetStream(), request);
            var toSender = DelayedCopyAsync(upstream.GetStream(), client.GetStream(), request, responseDelay);
            await Task.WhenAny(toPeer, toSender);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A cut connection is the point of this proxy.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>
    /// Copies the sender's bytes to the peer, reading TLS record headers on the way: the first record larger than
    /// any handshake record (certificates here are well under 1,500 bytes) carries the envelope, so the request is out.
    /// </summary>
    private async Task WatchedCopyAsync(Stream from, Stream to, RequestWatch request)
    {
        var buffer = new byte[16 * 1024];
        var header = new byte[5];
        var headerFill = 0;
        var remaining = 0;
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            for (var i = 0; i < read;)
            {
                if (remaining > 0)
                {
                    var skip = Math.Min(remaining, read - i);
                    remaining -= skip;
                    i += skip;
                    continue;
                }

                header[headerFill++] = buffer[i++];
                if (headerFill == header.Length)
                {
                    remaining = (header[3] << 8) | header[4];
                    headerFill = 0;
                    if (header[0] == 0x17 && remaining > 1500)
                    {
                        request.Sent.TrySetResult();
                    }
                }
            }

            await WhileStalledAsync();
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    private async Task WhileStalledAsync()
    {
        while (Stalled)
        {
            await Task.Delay(20, _stop.Token);
        }
    }

    /// <summary>Copies the peer's bytes to the sender, holding back everything that comes after the request by <paramref name="delay"/>.</summary>
    private async Task DelayedCopyAsync(Stream from, Stream to, RequestWatch request, TimeSpan delay)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            if (delay > TimeSpan.Zero && request.Sent.Task.IsCompleted)
            {
                await Task.Delay(delay, _stop.Token);
                delay = TimeSpan.Zero;
            }

            await WhileStalledAsync();
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    private sealed class RequestWatch
    {
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
