using System.Security.Cryptography;
using System.Text;

namespace Gateway.Service.Keys;

/// <summary>
/// Content sealed under a case's data key (DESIGN §15): <c>0x01 | key id (16) | nonce (12) | tag (16) | ciphertext</c>,
/// AES-256-GCM, bound to what it is (<see cref="SealedPurpose"/>) and to its message, so a sealed value copied to
/// another row or column does not open there.
/// </summary>
public static class SealedContent
{
    private const byte Version = 1;
    private const int Header = 1 + 16;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] Seal(DataKey key, ReadOnlySpan<byte> plaintext, string purpose, Guid about)
    {
        ArgumentNullException.ThrowIfNull(key);
        var output = new byte[Header + NonceSize + TagSize + plaintext.Length];
        output[0] = Version;
        key.Id.TryWriteBytes(output.AsSpan(1, 16));
        var nonce = output.AsSpan(Header, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key.Key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(Header + NonceSize + TagSize), output.AsSpan(Header + NonceSize, TagSize), Binding(purpose, about));
        return output;
    }

    /// <summary>The id of the data key <paramref name="sealedContent"/> was sealed with; null when it is not sealed content.</summary>
    public static Guid? KeyIdOf(ReadOnlySpan<byte> sealedContent) =>
        sealedContent.Length >= Header + NonceSize + TagSize && sealedContent[0] == Version ? new Guid(sealedContent.Slice(1, 16)) : null;

    /// <summary>Throws <see cref="AuthenticationTagMismatchException"/> when the key, purpose or message is not the one it was sealed with.</summary>
    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedContent, string purpose, Guid about)
    {
        var body = sealedContent[Header..];
        var plaintext = new byte[body.Length - NonceSize - TagSize];
        using var gcm = new AesGcm(key, TagSize);
        gcm.Decrypt(body[..NonceSize], body[(NonceSize + TagSize)..], body.Slice(NonceSize, TagSize), plaintext, Binding(purpose, about));
        return plaintext;
    }

    private static byte[] Binding(string purpose, Guid about) => [.. Encoding.ASCII.GetBytes(purpose), 0, .. about.ToByteArray()];
}
