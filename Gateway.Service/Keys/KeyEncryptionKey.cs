using System.Security.Cryptography;

namespace Gateway.Service.Keys;

/// <summary>
/// The key that wraps every case's data key, in one epoch: an erasure replaces it with a new one (the next epoch) and
/// re-wraps the data keys that live on, so a data key copied anywhere before the erasure — a backup, a WAL segment, a
/// dead tuple — was wrapped by a key that no longer exists (DESIGN §15).
/// </summary>
public sealed class KeyEncryptionKey
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public KeyEncryptionKey(long epoch, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 32)
        {
            throw new ArgumentException("a key-encryption key is 32 bytes", nameof(key));
        }

        Epoch = epoch;
        _key = key;
    }

    public long Epoch { get; }

    internal ReadOnlySpan<byte> Material => _key;

    public static KeyEncryptionKey New(long epoch) => new(epoch, RandomNumberGenerator.GetBytes(32));

    /// <summary>A data key wrapped for storage: AES-256-GCM, bound to its id and case (a wrapped key moved to another row does not unwrap).</summary>
    public byte[] Wrap(ReadOnlySpan<byte> dataKey, Guid keyId, string caseId)
    {
        var output = new byte[NonceSize + TagSize + dataKey.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceSize));
        using var gcm = new AesGcm(_key, TagSize);
        gcm.Encrypt(output.AsSpan(0, NonceSize), dataKey, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Binding(keyId, caseId));
        return output;
    }

    /// <summary>Throws <see cref="AuthenticationTagMismatchException"/> for a key wrapped by another key-encryption key.</summary>
    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, Guid keyId, string caseId)
    {
        var dataKey = new byte[wrapped.Length - NonceSize - TagSize];
        using var gcm = new AesGcm(_key, TagSize);
        gcm.Decrypt(wrapped[..NonceSize], wrapped[(NonceSize + TagSize)..], wrapped.Slice(NonceSize, TagSize), dataKey, Binding(keyId, caseId));
        return dataKey;
    }

    /// <summary>Overwrites the key in memory: called once it is replaced.</summary>
    public void Forget() => CryptographicOperations.ZeroMemory(_key);

    private static byte[] Binding(Guid keyId, string caseId) => [.. keyId.ToByteArray(), .. System.Text.Encoding.UTF8.GetBytes(caseId)];
}
