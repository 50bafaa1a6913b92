namespace Gateway.Crypto;

/// <summary>Dotted object identifiers compared against .NET's string-typed APIs.</summary>
internal static class Oids
{
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
}
