using System.Security.Cryptography;

namespace Gateway.Service.Referrals;

/// <summary>
/// Encrypts the plaintext this node keeps of what it sent (DESIGN §9) with the node's content key: AES-256-GCM,
/// a fresh nonce per message, the message id as associated data so a copied row does not decrypt as another.
/// </summary>
public sealed class ContentProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public ContentProtector(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 32)
        {
            throw new ArgumentException("the content key must be 32 bytes", nameof(key));
        }

        _key = key;
    }

    /// <summary>Reads the key file, or creates it (owner-only) when it does not exist yet.</summary>
    public static ContentProtector LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, create);
            stream.Write(RandomNumberGenerator.GetBytes(32));
        }

        var key = File.ReadAllBytes(path);
        return key.Length == 32 ? new ContentProtector(key) : throw new InvalidOperationException($"{path}: a content key file holds exactly 32 bytes");
    }

    public byte[] Protect(ReadOnlySpan<byte> plaintext, Guid messageId)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(_key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), messageId.ToByteArray());
        return output;
    }

    public byte[] Unprotect(ReadOnlySpan<byte> protectedContent, Guid messageId)
    {
        var plaintext = new byte[protectedContent.Length - NonceSize - TagSize];
        using var gcm = new AesGcm(_key, TagSize);
        gcm.Decrypt(protectedContent[..NonceSize], protectedContent[(NonceSize + TagSize)..], protectedContent.Slice(NonceSize, TagSize), plaintext, messageId.ToByteArray());
        return plaintext;
    }
}
