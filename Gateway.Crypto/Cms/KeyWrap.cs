using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace Gateway.Crypto.Cms;

/// <summary>AES key wrap (RFC 3394), the key-encryption algorithm inside ECDH recipient infos.</summary>
internal static class KeyWrap
{
    public static int KeyLength(DerObjectIdentifier wrapAlgorithm)
    {
        if (NistObjectIdentifiers.IdAes256Wrap.Equals(wrapAlgorithm)) return 32;
        if (NistObjectIdentifiers.IdAes192Wrap.Equals(wrapAlgorithm)) return 24;
        if (NistObjectIdentifiers.IdAes128Wrap.Equals(wrapAlgorithm)) return 16;
        throw new EnvelopeException(EnvelopeErrorCodes.UnsupportedAlgorithm, $"key wrap algorithm {wrapAlgorithm.Id} is not supported");
    }

    public static byte[] Wrap(byte[] kek, byte[] contentKey)
    {
        var engine = new AesWrapEngine();
        engine.Init(forWrapping: true, new KeyParameter(kek));
        return engine.Wrap(contentKey, 0, contentKey.Length);
    }

    public static byte[] Unwrap(byte[] kek, byte[] wrappedKey)
    {
        var engine = new AesWrapEngine();
        engine.Init(forWrapping: false, new KeyParameter(kek));
        try
        {
            return engine.Unwrap(wrappedKey, 0, wrappedKey.Length);
        }
        catch (InvalidCipherTextException exception)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, "the content key could not be unwrapped", exception);
        }
    }
}
