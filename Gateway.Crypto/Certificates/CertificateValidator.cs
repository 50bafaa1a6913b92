using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Crypto.Certificates;

/// <summary>
/// Judges a partner's certificate for one role: chain to the configured trust anchor (and nothing else),
/// validity now, key usage for the role, and revocation when CRLs are configured. Pins are checked by the
/// peer directory, which knows which certificates each peer registered.
/// Built chains are remembered (a partner sends the same few certificates with every envelope, receipt and TLS
/// handshake, and building a chain costs more than verifying a signature): a remembered chain is used only while every
/// certificate in it is within its validity period and for at most <see cref="ChainReuse"/>; validity of the
/// certificate itself, key usage and revocation are judged on every call.
/// </summary>
public sealed class CertificateValidator(TimeProvider time, CrlStore crls)
{
    /// <summary>How long a built chain is reused before it is built again.</summary>
    public static readonly TimeSpan ChainReuse = TimeSpan.FromMinutes(10);

    private const int MaxRememberedChains = 1024;

    private readonly ConcurrentDictionary<string, RememberedChain> _chains = new(StringComparer.Ordinal);

    public CertificateValidator(TimeProvider time)
        : this(time, CrlStore.Empty)
    {
    }

    public CertificateValidationResult Validate(
        X509Certificate2 certificate,
        X509Certificate2 trustAnchor,
        CertificateRole role,
        IEnumerable<X509Certificate2>? intermediates = null)
    {
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            return Fail(EnvelopeErrorCodes.CertificateNotYetValid, $"certificate {certificate.Subject} is valid only from {certificate.NotBefore.ToUniversalTime():O}");
        }

        if (now > certificate.NotAfter.ToUniversalTime())
        {
            return Fail(EnvelopeErrorCodes.CertificateExpired, $"certificate {certificate.Subject} expired at {certificate.NotAfter.ToUniversalTime():O}");
        }

        if (KeyUsageProblem(certificate, role) is { } usageProblem)
        {
            return Fail(EnvelopeErrorCodes.KeyUsageInvalid, $"certificate {certificate.Subject} {usageProblem}");
        }

        var (elements, failure) = Chain(certificate, trustAnchor, intermediates, now);
        if (failure is not null)
        {
            return failure;
        }

        var warnings = new List<string>();
        for (var i = 0; i < elements.Count - 1; i++)
        {
            if (crls.Check(elements[i], elements[i + 1], now, warnings) is { } revocation)
            {
                return Fail(revocation.Code, revocation.Reason);
            }
        }

        return new CertificateValidationResult { Warnings = warnings };
    }

    /// <summary>The chain from <paramref name="certificate"/> to <paramref name="trustAnchor"/> valid at <paramref name="now"/>, remembered or built.</summary>
    private (IReadOnlyList<X509Certificate2> Elements, CertificateValidationResult? Failure) Chain(
        X509Certificate2 certificate, X509Certificate2 trustAnchor, IEnumerable<X509Certificate2>? intermediates, DateTimeOffset now)
    {
        var extra = intermediates as IReadOnlyCollection<X509Certificate2> ?? intermediates?.ToList() ?? [];
        var key = string.Join('|', new[] { certificate, trustAnchor }.Concat(extra).Select(item => item.GetCertHashString(HashAlgorithmName.SHA256)));
        if (_chains.TryGetValue(key, out var remembered) && remembered.UsableAt(now))
        {
            return (remembered.Elements, null);
        }

        using var chain = CreateChain(trustAnchor, extra);
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (!chain.Build(certificate))
        {
            var statuses = chain.ChainStatus.Select(status => status.Status).Aggregate(X509ChainStatusFlags.NoError, (all, flag) => all | flag);
            return ([], statuses.HasFlag(X509ChainStatusFlags.NotTimeValid)
                ? Fail(EnvelopeErrorCodes.CertificateExpired, $"a certificate in the chain of {certificate.Subject} is outside its validity period")
                : Fail(EnvelopeErrorCodes.ChainInvalid, $"certificate {certificate.Subject} does not chain to the trust anchor {trustAnchor.Subject} ({statuses})"));
        }

        // Copies: the chain's own element certificates go with the chain when it is disposed.
        var elements = chain.ChainElements.Select(element => X509CertificateLoader.LoadCertificate(element.Certificate.RawData)).ToList();
        if (!elements[^1].RawData.AsSpan().SequenceEqual(trustAnchor.RawData))
        {
            return ([], Fail(EnvelopeErrorCodes.ChainInvalid, $"certificate {certificate.Subject} chains to another root than its trust anchor"));
        }

        if (_chains.Count >= MaxRememberedChains)
        {
            _chains.Clear();
        }

        _chains[key] = new RememberedChain(
            elements,
            elements.Max(element => new DateTimeOffset(element.NotBefore.ToUniversalTime())),
            elements.Min(element => new DateTimeOffset(element.NotAfter.ToUniversalTime())),
            now + ChainReuse);
        return (elements, null);
    }

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="trustAnchor"/>, whatever else is wrong.</summary>
    public bool ChainsTo(X509Certificate2 certificate, X509Certificate2 trustAnchor, IEnumerable<X509Certificate2>? intermediates = null)
    {
        using var chain = CreateChain(trustAnchor, intermediates);
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreWrongUsage;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(trustAnchor.RawData);
    }

    /// <summary>Trust exactly the anchor: no system roots, no downloads, revocation judged by <see cref="CrlStore"/>.</summary>
    private static X509Chain CreateChain(X509Certificate2 trustAnchor, IEnumerable<X509Certificate2>? intermediates)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trustAnchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        foreach (var intermediate in intermediates ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        return chain;
    }

    private static string? KeyUsageProblem(X509Certificate2 certificate, CertificateRole role)
    {
        var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is null)
        {
            return "has no key usage extension";
        }

        var usages = keyUsage.KeyUsages;
        switch (role)
        {
            case CertificateRole.Signing when !usages.HasFlag(X509KeyUsageFlags.DigitalSignature):
                return "is not allowed to sign (digitalSignature)";
            case CertificateRole.Encryption:
                var isRsa = certificate.GetKeyAlgorithm() == Oids.RsaEncryption;
                var needed = isRsa ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.KeyAgreement;
                return usages.HasFlag(needed) ? null : $"is not allowed to receive content keys ({needed})";
            case CertificateRole.Tls:
                if (!usages.HasFlag(X509KeyUsageFlags.DigitalSignature))
                {
                    return "is not allowed for TLS (digitalSignature)";
                }

                var extendedUsages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages
                    .Cast<System.Security.Cryptography.Oid>().Select(oid => oid.Value).ToHashSet() ?? [];
                return extendedUsages.Contains(Oids.ServerAuth) && extendedUsages.Contains(Oids.ClientAuth)
                    ? null
                    : "lacks serverAuth and clientAuth extended key usage";
            case CertificateRole.PersonalClient:
                if (!usages.HasFlag(X509KeyUsageFlags.DigitalSignature))
                {
                    return "is not allowed to authenticate a person (digitalSignature)";
                }

                var clientUsages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages
                    .Cast<System.Security.Cryptography.Oid>().Select(oid => oid.Value).ToHashSet() ?? [];
                return clientUsages.Contains(Oids.ClientAuth) ? null : "lacks clientAuth extended key usage";
            default:
                return null;
        }
    }

    private static CertificateValidationResult Fail(string code, string reason) =>
        new() { FailureCode = code, FailureReason = reason };

    /// <summary>A chain that was valid when built: usable while all its certificates are and until it is due for rebuilding.</summary>
    private sealed record RememberedChain(IReadOnlyList<X509Certificate2> Elements, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, DateTimeOffset RebuildAt)
    {
        public bool UsableAt(DateTimeOffset now) => now >= ValidFrom && now <= ValidUntil && now < RebuildAt;
    }
}
