using System.Security.Cryptography.X509Certificates;
using Gateway.Contracts.Peering;

namespace Gateway.Crypto.DevPki;

/// <summary>One node of a development federation: its three role certificates (with keys) and its ports.</summary>
public sealed record DevNode
{
    public required string Id { get; init; }

    public required string Country { get; init; }

    public required PeerKind Kind { get; init; }

    public required int PeerPort { get; init; }

    public required int InternalPort { get; init; }

    public required X509Certificate2 Tls { get; init; }

    public required X509Certificate2 Signing { get; init; }

    public required X509Certificate2 Encryption { get; init; }
}
