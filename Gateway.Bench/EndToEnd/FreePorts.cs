using System.Net;
using System.Net.Sockets;

namespace Gateway.Bench.EndToEnd;

/// <summary>A run of free loopback ports for the two nodes' peer and internal listeners.</summary>
internal static class FreePorts
{
    public static int FindBase(int count)
    {
        var random = new Random();
        for (var tries = 0; tries < 200; tries++)
        {
            var candidate = random.Next(30000, 60000 - count);
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
