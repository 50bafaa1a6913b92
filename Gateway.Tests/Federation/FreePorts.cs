using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Federation;

/// <summary>Finds a run of free loopback ports, so parallel tests and earlier runs never collide.</summary>
internal static class FreePorts
{
    private static int _next = 20000 + (Environment.ProcessId % 200 * 100);

    public static int FindBase(int count)
    {
        for (var tries = 0; tries < 200; tries++)
        {
            var candidate = Interlocked.Add(ref _next, count + 2) - count - 2;
            if (candidate + count > 60000)
            {
                Interlocked.Exchange(ref _next, 20000);
                continue;
            }

            if (Enumerable.Range(candidate, count).All(IsFree))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"no run of {count} free loopback ports found");
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
