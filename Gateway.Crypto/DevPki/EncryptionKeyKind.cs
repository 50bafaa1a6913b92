namespace Gateway.Crypto.DevPki;

public enum EncryptionKeyKind
{
    /// <summary>P-256, ECDH key agreement (the default).</summary>
    Ec,

    /// <summary>RSA-3072, RSA-OAEP key transport.</summary>
    Rsa,
}
