using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Crypto.Identity;

/// <summary>This node's encryption certificate with its private key: recovers envelope content keys.</summary>
public sealed class DecryptionIdentity : IDisposable
{
    public DecryptionIdentity(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        switch (key)
        {
            case ECDiffieHellman ecdh:
                Ecdh = ecdh;
                break;
            case RSA rsa:
                Rsa = rsa;
                break;
            default:
                throw new ArgumentException("An encryption key must be EC (key agreement) or RSA (key transport).", nameof(key));
        }
    }

    public X509Certificate2 Certificate { get; }

    internal ECDiffieHellman? Ecdh { get; }

    internal RSA? Rsa { get; }

    public static DecryptionIdentity FromPemFiles(string certificatePath, string keyPath) =>
        FromPem(File.ReadAllText(certificatePath), File.ReadAllText(keyPath));

    public static DecryptionIdentity FromPem(string certificatePem, string keyPem)
    {
        var certificate = X509Certificate2.CreateFromPem(certificatePem);
        AsymmetricAlgorithm key = certificate.GetKeyAlgorithm() == Oids.RsaEncryption ? RSA.Create() : ECDiffieHellman.Create();
        key.ImportFromPem(keyPem);
        return new DecryptionIdentity(certificate, key);
    }

    public void Dispose()
    {
        Ecdh?.Dispose();
        Rsa?.Dispose();
    }
}
