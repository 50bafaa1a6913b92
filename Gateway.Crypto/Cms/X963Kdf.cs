using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gateway.Crypto.Cms;

/// <summary>
/// ANSI X9.63 key derivation as RFC 5753 §3.6.1 uses it: KEK = H(Z || counter || SharedInfo) for counter = 1, 2, ...
/// Written here because BouncyCastle's CMS derivation disagrees with OpenSSL's (DESIGN §3).
/// </summary>
internal static class X963Kdf
{
    public static byte[] Derive(HashAlgorithmName hash, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> sharedInfo, int length)
    {
        using var hasher = IncrementalHash.CreateHash(hash);
        var output = new byte[length];
        Span<byte> counter = stackalloc byte[4];
        var written = 0;
        for (uint i = 1; written < length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(counter, i);
            hasher.AppendData(sharedSecret);
            hasher.AppendData(counter);
            hasher.AppendData(sharedInfo);
            var block = hasher.GetHashAndReset();
            var take = Math.Min(block.Length, length - written);
            block.AsSpan(0, take).CopyTo(output.AsSpan(written));
            written += take;
        }

        return output;
    }
}
