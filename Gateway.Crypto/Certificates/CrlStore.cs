using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Crypto.Certificates;

/// <summary>
/// The certificate revocation lists a node applies, replaceable while it runs (a CRL file changed). For each issuer
/// the newest CRL it signed applies — the highest CRLNumber, then the latest thisUpdate — whatever order the files
/// were listed in, so an older CRL can never hide a revocation. A CRL past its nextUpdate is a warning for operators
/// until <see cref="GracePeriod"/> has passed too; then its issuer's certificates are refused (REVOCATION_UNKNOWN).
/// </summary>
public sealed class CrlStore
{
    /// <summary>How long past its nextUpdate a CRL still applies, while operators are alerted, if the node sets no other.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromHours(6);

    private volatile Snapshot _snapshot;

    public CrlStore(IEnumerable<byte[]> encodedCrls)
        : this(encodedCrls.SelectMany(bytes => RevocationList.Read(bytes, "a configured CRL")), DefaultGracePeriod)
    {
    }

    public CrlStore(IEnumerable<RevocationList> lists, TimeSpan gracePeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        GracePeriod = gracePeriod;
        _snapshot = new Snapshot([.. lists]);
    }

    /// <summary>No CRLs: revocation is not checked.</summary>
    public static CrlStore Empty => new([], DefaultGracePeriod);

    public TimeSpan GracePeriod { get; }

    public bool IsEmpty => _snapshot.Lists.Count == 0;

    public IReadOnlyList<RevocationList> Lists => _snapshot.Lists;

    /// <summary>From the next check on, these CRLs apply instead (checks under way finish with the ones they started with).</summary>
    public void Replace(IEnumerable<RevocationList> lists) => _snapshot = new Snapshot([.. lists]);

    /// <summary>Per issuer name, the newest CRL: the one whose age operators must watch.</summary>
    public IReadOnlyList<RevocationList> NewestPerIssuer() =>
        [.. Lists.GroupBy(list => list.Issuer, StringComparer.Ordinal).Select(group => RevocationList.Newest(group)!)];

    /// <summary>When the certificates this CRL covers start being refused, unless a newer CRL arrives first.</summary>
    public DateTimeOffset RefusedFrom(RevocationList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return list.NextUpdate + GracePeriod;
    }

    /// <summary>
    /// Checks <paramref name="certificate"/> against the CRL that applies to <paramref name="issuer"/>. Returns the
    /// failure, or null; adds warnings when that CRL is past its nextUpdate (within the grace period) or missing.
    /// </summary>
    internal (string Code, string Reason)? Check(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, List<string> warnings)
    {
        var snapshot = _snapshot;
        if (snapshot.Lists.Count == 0)
        {
            return null;
        }

        var crl = snapshot.ApplyingTo(issuer);
        if (crl is null)
        {
            warnings.Add($"CRL_MISSING: no CRL signed by {issuer.Subject} is configured");
            return null;
        }

        // A CRL that lists the certificate says so even when stale.
        if (crl.Lists(certificate))
        {
            return (EnvelopeErrorCodes.CertificateRevoked, $"certificate {certificate.Subject} (serial {certificate.SerialNumber}) is revoked");
        }

        if (at > RefusedFrom(crl))
        {
            return (EnvelopeErrorCodes.RevocationUnknown,
                $"the CRL of {issuer.Subject} was due for renewal at {crl.NextUpdate:O} and the grace period of {GracePeriod} has passed: whether certificate {certificate.Subject} (serial {certificate.SerialNumber}) is revoked is not known");
        }

        if (at > crl.NextUpdate)
        {
            warnings.Add($"CRL_STALE: the CRL of {issuer.Subject} was due for renewal at {crl.NextUpdate:O}; its certificates are refused from {RefusedFrom(crl):O}");
        }

        return null;
    }

    /// <summary>One set of CRLs, with the CRL chosen for each issuer certificate remembered (choosing verifies signatures).</summary>
    private sealed class Snapshot(IReadOnlyList<RevocationList> lists)
    {
        private const int MaxRememberedIssuers = 1024;

        private readonly ConcurrentDictionary<string, RevocationList?> _applying = new(StringComparer.Ordinal);

        public IReadOnlyList<RevocationList> Lists { get; } = lists;

        /// <summary>The newest CRL among those the issuer signed; a CRL under its name that its key did not sign is ignored.</summary>
        public RevocationList? ApplyingTo(X509Certificate2 issuer)
        {
            var key = issuer.GetCertHashString(HashAlgorithmName.SHA256);
            if (_applying.TryGetValue(key, out var known))
            {
                return known;
            }

            if (_applying.Count >= MaxRememberedIssuers)
            {
                _applying.Clear();
            }

            var bouncyIssuer = BouncyConvert.ToBouncy(issuer);
            return _applying[key] = RevocationList.Newest(Lists.Where(list => list.IssuedBy(bouncyIssuer)));
        }
    }
}
