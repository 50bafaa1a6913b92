using System.Security.Cryptography.X509Certificates;
using Gateway.Service.Node;

namespace Gateway.Service.Operations.Dashboard;

/// <summary>
/// One certificate of this node or of a peer and how close it is to expiry, as the dashboard shows it: warning
/// levels at 60, 30 and 7 days, so a rotation is planned well before a partner stops accepting our envelopes.
/// </summary>
public sealed record CertificateExpiry
{
    /// <summary>This node's id or the peer's.</summary>
    public required string Owner { get; init; }

    /// <summary>True for this node's own certificates.</summary>
    public required bool Self { get; init; }

    /// <summary>tls, signing, encryption (and internal-tls for this node's internal listener).</summary>
    public required string Role { get; init; }

    /// <summary>The subject's common name.</summary>
    public required string Subject { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>Whole days left; negative once expired.</summary>
    public required int DaysLeft { get; init; }

    /// <summary>ok, warn60, warn30, warn7 or expired.</summary>
    public required string Level { get; init; }

    /// <summary>Every certificate the node holds or trusts, its own first, then each peer's in peers.json order.</summary>
    public static IReadOnlyList<CertificateExpiry> ListAll(NodeIdentity identity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(identity);
        List<CertificateExpiry> all =
        [
            Of(identity.NodeId, true, "tls", identity.Tls, now),
            Of(identity.NodeId, true, "signing", identity.Signing.Certificate, now),
            Of(identity.NodeId, true, "encryption", identity.Decryption.Certificate, now),
            Of(identity.NodeId, true, "internal-tls", identity.InternalTls, now),
        ];
        foreach (var peer in identity.Peers.Peers)
        {
            all.AddRange(peer.Tls.Select(certificate => Of(peer.Id, false, "tls", certificate, now)));
            all.AddRange(peer.Signing.Select(certificate => Of(peer.Id, false, "signing", certificate, now)));
            all.AddRange(peer.Encryption.Select(certificate => Of(peer.Id, false, "encryption", certificate, now)));
        }

        return all;
    }

    public static CertificateExpiry Of(string owner, bool self, string role, X509Certificate2 certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var left = notAfter - now;
        return new()
        {
            Owner = owner,
            Self = self,
            Role = role,
            Subject = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false),
            NotAfter = notAfter,
            DaysLeft = (int)Math.Floor(left.TotalDays),
            Level = LevelOf(left),
        };
    }

    public static string LevelOf(TimeSpan left) => left.TotalDays switch
    {
        <= 0 => "expired",
        <= 7 => "warn7",
        <= 30 => "warn30",
        <= 60 => "warn60",
        _ => "ok",
    };
}
