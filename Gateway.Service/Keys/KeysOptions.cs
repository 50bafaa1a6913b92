namespace Gateway.Service.Keys;

/// <summary>The node's key-encryption key (configuration section <c>Gateway</c>; DESIGN §15).</summary>
public sealed class KeysOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// The file holding the key that wraps every case's data key: outside the data folder and the database, protected
    /// by the node's key passphrase. Created at first start. Rewritten at every erasure (a new key; the old one is
    /// overwritten), so it must be writable, and shared by every replica of the node.
    /// </summary>
    public string KeyEncryptionKeyFile { get; set; } = string.Empty;
}
