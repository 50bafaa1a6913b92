using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Federation;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Node;

/// <summary>
/// Separate doors (DESIGN §10, issue #18): the peer listener and the internal listener each bind to an address of their
/// own, the internal one to loopback unless set deliberately, whatever the former single <c>BindAddress</c> says. Read
/// from a real node's sockets on loopback addresses of Linux's 127.0.0.0/8.
/// </summary>
[Trait("Category", "Peering")]
public sealed class ListenerAddressTests
{
    [Fact]
    public async Task The_peer_and_internal_listeners_bind_to_their_own_addresses_and_nowhere_else()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("FI-NRM");
        options.Node.PeerBindAddress = "127.0.0.2";
        options.Node.InternalBindAddress = "127.0.0.3";

        var node = await federation.StartAsync(options);

        var (peer, @internal) = (node.Identity.PeerPort, node.Identity.InternalPort);
        Assert.Equal(
            [("127.0.0.2", peer, true), ("127.0.0.3", peer, false), ("127.0.0.1", peer, false), ("127.0.0.3", @internal, true), ("127.0.0.2", @internal, false), ("127.0.0.1", @internal, false)],
            await ListeningAsync(("127.0.0.2", peer), ("127.0.0.3", peer), ("127.0.0.1", peer), ("127.0.0.3", @internal), ("127.0.0.2", @internal), ("127.0.0.1", @internal)));
    }

    [Fact]
    public async Task BindAddress_alone_moves_only_the_peer_listener_and_the_internal_one_stays_on_loopback()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("FI-NRM");
        options.Node.BindAddress = "127.0.0.4";

        var node = await federation.StartAsync(options);

        var (peer, @internal) = (node.Identity.PeerPort, node.Identity.InternalPort);
        Assert.Equal(
            [("127.0.0.4", peer, true), ("127.0.0.1", peer, false), ("127.0.0.1", @internal, true), ("127.0.0.4", @internal, false)],
            await ListeningAsync(("127.0.0.4", peer), ("127.0.0.1", peer), ("127.0.0.1", @internal), ("127.0.0.4", @internal)));
    }

    [Theory]
    [InlineData("PeerBindAddress", "Gateway:PeerBindAddress is not an IP address")]
    [InlineData("InternalBindAddress", "Gateway:InternalBindAddress is not an IP address")]
    [InlineData("BindAddress", "Gateway:BindAddress differs from PeerBindAddress, whose former name it is: set PeerBindAddress only")]
    public async Task A_wrong_listener_address_stops_the_node_at_start_naming_the_setting(string setting, string problem)
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("FI-NRM");
        switch (setting)
        {
            case "PeerBindAddress":
                options.Node.PeerBindAddress = "peer.example";
                break;
            case "InternalBindAddress":
                options.Node.InternalBindAddress = "localhost";
                break;
            default:
                options.Node.BindAddress = "127.0.0.5";
                options.Node.PeerBindAddress = "127.0.0.6";
                break;
        }

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => federation.StartAsync(options));

        Assert.Contains($"The gateway configuration is not valid: {problem}", exception.Failures);
    }

    /// <summary>For each address and port, whether a TCP connection is accepted there.</summary>
    private static async Task<List<(string Address, int Port, bool Listening)>> ListeningAsync(params (string Address, int Port)[] endpoints)
    {
        var found = new List<(string, int, bool)>();
        foreach (var (address, port) in endpoints)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.ConnectAsync(IPAddress.Parse(address), port, timeout.Token);
                found.Add((address, port, true));
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
            {
                found.Add((address, port, false));
            }
        }

        return found;
    }
}
