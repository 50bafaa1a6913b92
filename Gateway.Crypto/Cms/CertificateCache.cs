using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Crypto.Cms;

/// <summary>
/// .NET certificates for the DER of certificates included in signed data: a partner signs every envelope and
/// receipt with the same certificate, and loading it costs more than checking the signature. Bounded, so that a
/// sender of many distinct certificates gets a cold cache rather than this node's memory.
/// </summary>
internal sealed class CertificateCache(int capacity)
{
    private readonly ConcurrentDictionary<string, CachedCertificate> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The certificate for <paramref name="der"/>; throws <see cref="CryptographicException"/> when .NET cannot read it.</summary>
    public CachedCertificate Get(byte[] der)
    {
        var key = Convert.ToHexString(SHA256.HashData(der));
        if (_entries.TryGetValue(key, out var cached) && cached.Certificate.RawDataMemory.Span.SequenceEqual(der))
        {
            return cached;
        }

        var loaded = new CachedCertificate(X509CertificateLoader.LoadCertificate(der));
        if (_entries.Count >= capacity)
        {
            // Entries are never disposed: callers may still hold them.
            _entries.Clear();
        }

        _entries[key] = loaded;
        return loaded;
    }
}
