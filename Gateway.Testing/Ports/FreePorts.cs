using System.Net;
using System.Net.Sockets;

namespace Gateway.Testing.Ports;

/// <summary>
/// Finds a run of free loopback ports, so parallel tests and earlier runs never collide. Only below Linux's
/// ephemeral range (32768 and up): a port found free there can be taken by an outgoing connection before the node
/// binds it.
/// </summary>
public static class FreePorts
{
    private const int First = 20000;
    private const int Last = 32000;

    // Process-wide on purpose: two callers in the same process must never be handed the same run before either binds it.
    private static int _next = First + (Environment.ProcessId % 100 * 100);

    public static int FindBase(int count)
    {
        for (var tries = 0; tries < 200; tries++)
        {
            var candidate = Interlocked.Add(ref _next, count + 2) - count - 2;
            if (candidate + count > Last)
            {
                Interlocked.Exchange(ref _next, First);
                continue;
            }

            if (Enumerable.Range(candidate, count).All(IsFree))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"no run of {count} free loopback ports found between {First} and {Last}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
