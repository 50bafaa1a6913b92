namespace Gateway.Tests.Crypto;

/// <summary>The object identifiers the protocol spec names, spelled out so the tests say what they expect.</summary>
internal static class ProtocolOids
{
    public const string AuthEnvelopedData = "1.2.840.113549.1.9.16.1.23";
    public const string EnvelopedData = "1.2.840.113549.1.7.3";
    public const string Aes256Gcm = "2.16.840.1.101.3.4.1.46";
    public const string Aes256Cbc = "2.16.840.1.101.3.4.1.42";
    public const string Aes256Wrap = "2.16.840.1.101.3.4.1.45";
    public const string EcdhStdSha1Kdf = "1.3.133.16.840.63.0.2";
    public const string EcdhStdSha256Kdf = "1.3.132.1.11.1";
    public const string RsaesOaep = "1.2.840.113549.1.1.7";
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string ContentTypeAttribute = "1.2.840.113549.1.9.3";
    public const string MessageDigestAttribute = "1.2.840.113549.1.9.4";
    public const string SigningTimeAttribute = "1.2.840.113549.1.9.5";
}
