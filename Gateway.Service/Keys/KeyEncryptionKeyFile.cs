using System.Security.Cryptography;
using System.Text.Json;

namespace Gateway.Service.Keys;

/// <summary>
/// The key-encryption key on disk: a small JSON document, the key encrypted under the node's key passphrase
/// (PBKDF2-SHA256, 600,000 iterations, AES-256-GCM) or, without a passphrase (development), stored as it is, readable
/// by the owner only. A rotation writes the next key beside the current one (<c>.next</c>), the database then moves
/// to its epoch, and <see cref="CompleteAsync"/> overwrites the old file before the next takes its name; a crash in between
/// is mended by <see cref="LoadAsync"/>, which keeps whichever file has the epoch the database holds.
/// </summary>
internal sealed class KeyEncryptionKeyFile(string path, string? passphrase)
{
    private const int Iterations = 600_000;

    public string Path { get; } = path;

    private string NextPath => Path + ".next";

    public bool Exists => File.Exists(Path);

    /// <summary>The key of <paramref name="epoch"/>: the current file's, or the pending next one's (then made current).</summary>
    public async Task<KeyEncryptionKey> LoadAsync(long epoch, CancellationToken cancellationToken)
    {
        await using var held = await HoldAsync(cancellationToken);
        if (File.Exists(NextPath))
        {
            var next = Read(NextPath);
            if (next.Epoch == epoch)
            {
                Replace();
                return next;
            }

            // A rotation that never reached the database: its key was never used.
            Destroy(NextPath);
        }

        var current = Read(Path);
        return current.Epoch == epoch
            ? current
            : throw new InvalidOperationException($"{Path} holds the key-encryption key of epoch {current.Epoch}, but the database is at epoch {epoch}: the file does not belong to this database (or was restored from a backup)");
    }

    /// <summary>For a database that holds no epoch yet: the file's current key, whatever its epoch (a pending next one is dropped).</summary>
    public async Task<KeyEncryptionKey> LoadCurrentAsync(CancellationToken cancellationToken)
    {
        await using var held = await HoldAsync(cancellationToken);
        if (File.Exists(NextPath))
        {
            Destroy(NextPath);
        }

        return Read(Path);
    }

    /// <summary>Writes the first key of a new node (epoch 1), owner-only.</summary>
    public async Task<KeyEncryptionKey> CreateAsync(CancellationToken cancellationToken)
    {
        await using var held = await HoldAsync(cancellationToken);
        var key = KeyEncryptionKey.New(1);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        Write(Path, key);
        return key;
    }

    /// <summary>The first step of a rotation: the next key, durably, beside the current one.</summary>
    public async Task WriteNextAsync(KeyEncryptionKey next, CancellationToken cancellationToken)
    {
        await using var held = await HoldAsync(cancellationToken);
        Write(NextPath, next);
    }

    /// <summary>The last step: the current file overwritten, then replaced by the next.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await using var held = await HoldAsync(cancellationToken);
        Replace();
    }

    private void Replace()
    {
        if (!File.Exists(NextPath))
        {
            return;
        }

        if (File.Exists(Path))
        {
            Overwrite(Path);
        }

        File.Move(NextPath, Path, overwrite: true);
    }

    /// <summary>Forgets a pending next key that will not be used.</summary>
    public async Task AbandonNextAsync(CancellationToken cancellationToken)
    {
        await using var held = await HoldAsync(cancellationToken);
        if (File.Exists(NextPath))
        {
            Destroy(NextPath);
        }
    }

    /// <summary>
    /// Excludes every other process (another replica of the node sharing the file) from the key files while one reads
    /// or changes them: a rotation completed by two at once could otherwise overwrite the new key.
    /// </summary>
    private async Task<FileStream> HoldAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var create = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                return new FileStream(Path + ".lock", create);
            }
            catch (IOException) when (attempt < 200)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
            }
        }
    }

    private KeyEncryptionKey Read(string file)
    {
        var document = JsonSerializer.Deserialize(File.ReadAllBytes(file), KeyFileJson.Default.KeyFileDocument)
            ?? throw new InvalidOperationException($"{file}: not a key-encryption key file");
        if (document.Format != "gateway-kek-1")
        {
            throw new InvalidOperationException($"{file}: not a key-encryption key file (format {document.Format})");
        }

        if (document.Protection == "none")
        {
            return new KeyEncryptionKey(document.Epoch, Convert.FromBase64String(document.Key));
        }

        if (passphrase is null)
        {
            throw new InvalidOperationException($"{file} is protected by a passphrase; set Gateway:KeyPassphraseFile (or Gateway:KeyPassphrase)");
        }

        var secret = Rfc2898DeriveBytes.Pbkdf2(passphrase, Convert.FromBase64String(document.Salt!), document.Iterations, HashAlgorithmName.SHA256, 32);
        var sealedKey = Convert.FromBase64String(document.Key);
        var key = new byte[32];
        try
        {
            using var gcm = new AesGcm(secret, 16);
            gcm.Decrypt(Convert.FromBase64String(document.Nonce!), sealedKey, Convert.FromBase64String(document.Tag!), key, BitConverter.GetBytes(document.Epoch));
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new InvalidOperationException($"{file} cannot be opened with the node's key passphrase", exception);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        return new KeyEncryptionKey(document.Epoch, key);
    }

    private void Write(string file, KeyEncryptionKey key)
    {
        KeyFileDocument document;
        if (passphrase is null)
        {
            document = new KeyFileDocument { Format = "gateway-kek-1", Epoch = key.Epoch, Protection = "none", Key = Convert.ToBase64String(key.Material) };
        }
        else
        {
            var salt = RandomNumberGenerator.GetBytes(16);
            var nonce = RandomNumberGenerator.GetBytes(12);
            var secret = Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, Iterations, HashAlgorithmName.SHA256, 32);
            var sealedKey = new byte[32];
            var tag = new byte[16];
            using (var gcm = new AesGcm(secret, 16))
            {
                gcm.Encrypt(nonce, key.Material, sealedKey, tag, BitConverter.GetBytes(key.Epoch));
            }

            CryptographicOperations.ZeroMemory(secret);
            document = new KeyFileDocument
            {
                Format = "gateway-kek-1", Epoch = key.Epoch, Protection = "pbkdf2-sha256-aes256gcm", Iterations = Iterations,
                Salt = Convert.ToBase64String(salt), Nonce = Convert.ToBase64String(nonce), Tag = Convert.ToBase64String(tag), Key = Convert.ToBase64String(sealedKey),
            };
        }

        var temporary = file + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, create))
        {
            JsonSerializer.Serialize(stream, document, KeyFileJson.Default.KeyFileDocument);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>Overwrites a key file's bytes in place before it goes, so the old key does not stay in the file's blocks.</summary>
    private static void Overwrite(string file)
    {
        using var stream = new FileStream(file, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Options = FileOptions.WriteThrough });
        stream.Write(RandomNumberGenerator.GetBytes((int)stream.Length));
        stream.Flush(flushToDisk: true);
    }

    private static void Destroy(string file)
    {
        Overwrite(file);
        File.Delete(file);
    }
}
