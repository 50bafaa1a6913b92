using System.Security.Cryptography.X509Certificates;
using Gateway.Contracts.Peering;

namespace Gateway.Crypto.DevPki;

/// <summary>
/// One node of a development federation: its three role certificates (with keys), its ports, and its internal PKI
/// (a CA of its own, the internal listener's certificate and a client certificate per caseworker/operator role).
/// </summary>
public sealed record DevNode : IDisposable
{
    public required string Id { get; init; }

    public required string Country { get; init; }

    public required PeerKind Kind { get; init; }

    public required int PeerPort { get; init; }

    public required int InternalPort { get; init; }

    public required X509Certificate2 Tls { get; init; }

    public required X509Certificate2 Signing { get; init; }

    public required X509Certificate2 Encryption { get; init; }

    /// <summary>
    /// Issues this node's internal certificates. Separate from the state CA so a client certificate opens this
    /// node's internal listener only, never a peer listener or another node's internal one.
    /// </summary>
    public required DevCertificateAuthority InternalCa { get; init; }

    /// <summary>Server certificate (with key) of the internal listener: localhost, 127.0.0.1 and ::1.</summary>
    public required X509Certificate2 InternalTls { get; init; }

    /// <summary>Client certificate (with key) per role in <see cref="DevClientRoles.All"/>, keyed by role.</summary>
    public required IReadOnlyDictionary<string, X509Certificate2> Clients { get; init; }

    public void Dispose()
    {
        Tls.Dispose();
        Signing.Dispose();
        Encryption.Dispose();
        InternalTls.Dispose();
        foreach (var client in Clients.Values)
        {
            client.Dispose();
        }

        InternalCa.Dispose();
    }
}
