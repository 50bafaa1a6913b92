using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;

namespace Gateway.Crypto.Identity;

/// <summary>
/// Signs CMS signed attributes (SignedDataCodec) with .NET's OpenSSL-backed keys: about five times faster than
/// BouncyCastle's own ECDSA here (DESIGN §3), and the private key never leaves the platform key object.
/// </summary>
internal sealed class DotNetSignatureFactory(AsymmetricAlgorithm key) : ISignatureFactory
{
    public object AlgorithmDetails { get; } = key switch
    {
        ECDsa => new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256),
        RSA => new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance),
        _ => throw new ArgumentException("Unsupported signing key.", nameof(key)),
    };

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(key);

    private sealed class Calculator(AsymmetricAlgorithm key) : IStreamCalculator<IBlockResult>
    {
        private readonly MemoryStream _buffer = new();

        public Stream Stream => _buffer;

        public IBlockResult GetResult()
        {
            // Only the DER of the signed attributes passes through here, never the payload itself. BouncyCastle
            // closes the stream before asking for the result; ToArray still works on a closed MemoryStream.
            var data = _buffer.ToArray();
            var signature = key switch
            {
                ECDsa ecdsa => ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
                RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => throw new InvalidOperationException("Unsupported signing key."),
            };
            return new BlockResult(signature);
        }
    }

    private sealed class BlockResult(byte[] value) : IBlockResult
    {
        public byte[] Collect() => (byte[])value.Clone();

        public int Collect(byte[] buf, int off)
        {
            value.CopyTo(buf, off);
            return value.Length;
        }

        public int Collect(Span<byte> output)
        {
            value.CopyTo(output);
            return value.Length;
        }

        public int GetMaxResultLength() => value.Length;
    }
}
