using System.Security.Cryptography.X509Certificates;

namespace Gateway.Crypto.DevPki;

/// <summary>What a development certificate should say; <see cref="DevCertificateAuthority.Issue"/> makes it.</summary>
public sealed record DevCertificateRequest
{
    public required string Subject { get; init; }

    public required X509KeyUsageFlags KeyUsage { get; init; }

    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [];

    /// <summary>DNS names for TLS; loopback addresses are added whenever any name is given.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public bool RsaKey { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }
}
