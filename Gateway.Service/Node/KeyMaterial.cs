using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.Identity;

namespace Gateway.Service.Node;

/// <summary>
/// Reads this node's certificates and private keys in the forms operators keep them: PKCS#8 PEM, PKCS#8 PEM encrypted
/// under the node's key passphrase, or PKCS#12 (certificate and key in one file, the same passphrase). A key that cannot
/// be read stops the node at start with the setting and the file named, never the passphrase.
/// </summary>
internal sealed class KeyMaterial
{
    private const string EncryptedKeyLabel = "ENCRYPTED PRIVATE KEY";

    private static readonly string[] PlainKeyLabels = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"];

    private readonly string? _passphrase;

    /// <summary>Where the passphrase came from, for messages: the setting (and file), never the value.</summary>
    private readonly string _passphraseSource;

    private KeyMaterial(string? passphrase, string passphraseSource)
    {
        _passphrase = passphrase;
        _passphraseSource = passphraseSource;
    }

    /// <summary>The node's passphrase, for the other secrets it protects (the key-encryption key); null when none is configured.</summary>
    internal string? Passphrase => _passphrase;

    /// <summary>Where the passphrase came from, for messages.</summary>
    internal string PassphraseSource => _passphraseSource;

    /// <summary>The node's passphrase from <see cref="NodeOptions.KeyPassphraseFile"/>, else <see cref="NodeOptions.KeyPassphrase"/>, else none.</summary>
    public static KeyMaterial For(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.KeyPassphraseFile))
        {
            var setting = $"{NodeOptions.Section}:{nameof(options.KeyPassphraseFile)}";
            string text;
            try
            {
                text = File.ReadAllText(options.KeyPassphraseFile);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw Invalid($"{setting}: cannot read {options.KeyPassphraseFile} ({exception.GetType().Name})");
            }

            // A file written with echo or an editor ends in a line break that is not part of the passphrase.
            var passphrase = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
            return new KeyMaterial(passphrase.Length == 0 ? null : passphrase, $"{setting} ({options.KeyPassphraseFile})");
        }

        return new KeyMaterial(
            string.IsNullOrEmpty(options.KeyPassphrase) ? null : options.KeyPassphrase,
            $"{NodeOptions.Section}:{nameof(options.KeyPassphrase)}");
    }

    /// <summary>A TLS certificate with its key, re-imported so SslStream can use it on every platform.</summary>
    public X509Certificate2 TlsCertificate(string certificateSetting, string certificateFile, string keySetting, string keyFile)
    {
        var (certificate, key) = Load(certificateSetting, certificateFile, keySetting, keyFile, keyAgreement: false);
        using (certificate)
        using (key)
        {
            using var withKey = key switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                _ => throw Invalid($"{Setting(keySetting)}: {keyFile} holds neither an RSA nor an EC key"),
            };
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
    }

    public SigningIdentity Signing(string certificateSetting, string certificateFile, string keySetting, string keyFile)
    {
        var (certificate, key) = Load(certificateSetting, certificateFile, keySetting, keyFile, keyAgreement: false);
        return new SigningIdentity(certificate, key);
    }

    public DecryptionIdentity Decryption(string certificateSetting, string certificateFile, string keySetting, string keyFile)
    {
        var (certificate, key) = Load(certificateSetting, certificateFile, keySetting, keyFile, keyAgreement: true);
        return new DecryptionIdentity(certificate, key);
    }

    /// <summary>The certificate (public part only) and its private key: ECDSA or RSA, or ECDH or RSA for <paramref name="keyAgreement"/>.</summary>
    private (X509Certificate2 Certificate, AsymmetricAlgorithm Key) Load(string certificateSetting, string certificateFile, string keySetting, string keyFile, bool keyAgreement)
    {
        string text;
        try
        {
            text = File.ReadAllText(keyFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Invalid($"{Setting(keySetting)}: cannot read {keyFile} ({exception.GetType().Name})");
        }

        X509Certificate2 certificate;
        AsymmetricAlgorithm key;
        if (Path.GetExtension(keyFile).ToUpperInvariant() is ".P12" or ".PFX" || !PemEncoding.TryFind(text, out _))
        {
            (certificate, key) = FromPkcs12(certificateSetting, certificateFile, keySetting, keyFile, keyAgreement);
        }
        else
        {
            certificate = ReadCertificate(certificateSetting, certificateFile);
            try
            {
                key = FromPem(text, IsRsa(certificate), keyAgreement, keySetting, keyFile);
            }
            catch (InvalidOperationException)
            {
                certificate.Dispose();
                throw;
            }
        }

        if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(certificate.PublicKey.ExportSubjectPublicKeyInfo()))
        {
            key.Dispose();
            certificate.Dispose();
            throw Invalid($"{Setting(keySetting)}: the key in {keyFile} does not belong to the certificate in {certificateFile} ({Setting(certificateSetting)})");
        }

        return (certificate, key);
    }

    /// <summary>The private key of a PEM file, of the certificate's algorithm (an encrypted key shows its algorithm only once decrypted).</summary>
    private AsymmetricAlgorithm FromPem(string text, bool rsa, bool keyAgreement, string keySetting, string keyFile)
    {
        var (label, block) = PrivateKeyBlock(text)
            ?? throw Invalid($"{Setting(keySetting)}: {keyFile} holds no private key (expected PKCS#8 PEM, encrypted PKCS#8 PEM or PKCS#12)");
        string? passphrase = null;
        if (label == EncryptedKeyLabel)
        {
            passphrase = _passphrase ?? throw Invalid(
                $"{Setting(keySetting)}: {keyFile} is an encrypted private key; set {Setting(nameof(NodeOptions.KeyPassphraseFile))} (or {nameof(NodeOptions.KeyPassphrase)})");
        }

        var key = EmptyKey(rsa, keyAgreement);
        try
        {
            if (passphrase is null)
            {
                key.ImportFromPem(block);
            }
            else
            {
                key.ImportFromEncryptedPem(block, passphrase);
            }

            return key;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            key.Dispose();
            if (ImportsAs(EmptyKey(!rsa, keyAgreement), block, passphrase))
            {
                throw Invalid($"{Setting(keySetting)}: the key in {keyFile} is {(rsa ? "EC" : "RSA")}, but its certificate's is {(rsa ? "RSA" : "EC")}: they do not belong together");
            }

            throw Invalid(passphrase is not null
                ? $"{Setting(keySetting)}: {keyFile} cannot be decrypted with the passphrase from {_passphraseSource} (wrong passphrase, or a damaged file)"
                : $"{Setting(keySetting)}: {keyFile} holds a private key that cannot be read");
        }
    }

    private (X509Certificate2 Certificate, AsymmetricAlgorithm Key) FromPkcs12(string certificateSetting, string certificateFile, string keySetting, string keyFile, bool keyAgreement)
    {
        X509Certificate2Collection collection;
        try
        {
            collection = X509CertificateLoader.LoadPkcs12CollectionFromFile(keyFile, _passphrase, X509KeyStorageFlags.Exportable);
        }
        catch (CryptographicException)
        {
            throw Invalid(_passphrase is null
                ? $"{Setting(keySetting)}: {keyFile} is neither a PEM private key nor a PKCS#12 file that opens without a passphrase; set {Setting(nameof(NodeOptions.KeyPassphraseFile))} if it has one"
                : $"{Setting(keySetting)}: {keyFile} (PKCS#12) cannot be opened with the passphrase from {_passphraseSource} (wrong passphrase, or not a PKCS#12 file)");
        }

        try
        {
            var owner = collection.FirstOrDefault(certificate => certificate.HasPrivateKey)
                ?? throw Invalid($"{Setting(keySetting)}: {keyFile} (PKCS#12) holds no private key");
            var key = Detached(owner, keyAgreement) ?? throw Invalid($"{Setting(keySetting)}: {keyFile} (PKCS#12) holds neither an RSA nor an EC key");
            try
            {
                // The certificate setting may name the same file, or a PEM certificate of its own.
                var certificate = SameFile(certificateFile, keyFile)
                    ? X509CertificateLoader.LoadCertificate(owner.RawData)
                    : ReadCertificate(certificateSetting, certificateFile);
                return (certificate, key);
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var certificate in collection)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>
    /// The certificate's private key copied into a key object of its own, of the kind the use needs (ECDH for key
    /// agreement): it outlives the loaded PKCS#12, whose key store goes with it on some platforms.
    /// </summary>
    private static AsymmetricAlgorithm? Detached(X509Certificate2 owner, bool keyAgreement)
    {
        // .NET offers an EC key as ECDSA or ECDH by the certificate's key usage.
        using var loaded = owner.GetRSAPrivateKey() ?? owner.GetECDsaPrivateKey() ?? (AsymmetricAlgorithm?)owner.GetECDiffieHellmanPrivateKey();
        if (loaded is null)
        {
            return null;
        }

        var pkcs8 = loaded.ExportPkcs8PrivateKey();
        try
        {
            var key = EmptyKey(loaded is RSA, keyAgreement);
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static X509Certificate2 ReadCertificate(string setting, string file)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(file));
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw Invalid($"{Setting(setting)}: {file} holds no PEM certificate ({exception.GetType().Name})");
        }
    }

    /// <summary>The first PEM block that is a private key, with its label.</summary>
    private static (string Label, string Block)? PrivateKeyBlock(string text)
    {
        var offset = 0;
        while (PemEncoding.TryFind(text.AsSpan(offset), out var fields))
        {
            var (start, length) = fields.Location.GetOffsetAndLength(text.Length - offset);
            var label = text.AsSpan(offset)[fields.Label].ToString();
            if (label == EncryptedKeyLabel || PlainKeyLabels.Contains(label))
            {
                return (label, text.Substring(offset + start, length));
            }

            offset += start + length;
        }

        return null;
    }

    private static bool IsRsa(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null;
    }

    /// <summary>Whether the block imports as <paramref name="key"/>'s kind: then the passphrase was right and the algorithm wrong.</summary>
    private static bool ImportsAs(AsymmetricAlgorithm key, string block, string? passphrase)
    {
        using (key)
        {
            try
            {
                if (passphrase is null)
                {
                    key.ImportFromPem(block);
                }
                else
                {
                    key.ImportFromEncryptedPem(block, passphrase);
                }

                return true;
            }
            catch (Exception exception) when (exception is CryptographicException or ArgumentException)
            {
                return false;
            }
        }
    }

    private static AsymmetricAlgorithm EmptyKey(bool rsa, bool keyAgreement) =>
        rsa ? RSA.Create() : keyAgreement ? ECDiffieHellman.Create() : ECDsa.Create();

    private static bool SameFile(string first, string second) =>
        string.Equals(Path.GetFullPath(first), Path.GetFullPath(second), StringComparison.Ordinal);

    private static string Setting(string name) => $"{NodeOptions.Section}:{name}";

    private static InvalidOperationException Invalid(string problem) => new("The gateway configuration is not valid: " + problem);
}
