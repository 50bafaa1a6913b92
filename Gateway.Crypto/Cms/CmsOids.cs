using Org.BouncyCastle.Asn1;

namespace Gateway.Crypto.Cms;

/// <summary>Object identifiers of docs/protocol.md that BouncyCastle does not name, or names somewhere unexpected.</summary>
internal static class CmsOids
{
    /// <summary>RFC 5753 / SEC 1: dhSinglePass-stdDH-sha1kdf-scheme, OpenSSL's default.</summary>
    public static readonly DerObjectIdentifier EcdhStdSha1Kdf = new("1.3.133.16.840.63.0.2");

    public static readonly DerObjectIdentifier EcdhStdSha224Kdf = new("1.3.132.1.11.0");

    /// <summary>dhSinglePass-stdDH-sha256kdf-scheme, what the gateway writes.</summary>
    public static readonly DerObjectIdentifier EcdhStdSha256Kdf = new("1.3.132.1.11.1");

    public static readonly DerObjectIdentifier EcdhStdSha384Kdf = new("1.3.132.1.11.2");

    public static readonly DerObjectIdentifier EcdhStdSha512Kdf = new("1.3.132.1.11.3");
}
