using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;

namespace Gateway.Crypto.Identity;

/// <summary>A signing certificate with its private key: signs envelopes and receipts.</summary>
public sealed class SigningIdentity : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    public SigningIdentity(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        if (key is not ECDsa and not RSA)
        {
            throw new ArgumentException("A signing key must be ECDSA or RSA.", nameof(key));
        }

        Certificate = certificate;
        _key = key;
        BouncyCertificate = BouncyConvert.ToBouncy(certificate);
        SignatureFactory = new DotNetSignatureFactory(key);
    }

    public X509Certificate2 Certificate { get; }

    internal Org.BouncyCastle.X509.X509Certificate BouncyCertificate { get; }

    internal ISignatureFactory SignatureFactory { get; }

    /// <summary>Loads a PEM certificate and its PKCS#8 PEM private key.</summary>
    public static SigningIdentity FromPemFiles(string certificatePath, string keyPath) =>
        FromPem(File.ReadAllText(certificatePath), File.ReadAllText(keyPath));

    public static SigningIdentity FromPem(string certificatePem, string keyPem)
    {
        var certificate = X509Certificate2.CreateFromPem(certificatePem);
        AsymmetricAlgorithm key = certificate.GetKeyAlgorithm() == Oids.RsaEncryption ? RSA.Create() : ECDsa.Create();
        key.ImportFromPem(keyPem);
        return new SigningIdentity(certificate, key);
    }

    public void Dispose() => _key.Dispose();
}
