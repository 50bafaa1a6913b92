namespace Gateway.Crypto.Certificates;

/// <summary>The three roles of DESIGN §2; each has its own key pair and key-usage requirements.</summary>
public enum CertificateRole
{
    /// <summary>Mutual TLS: digitalSignature, serverAuth and clientAuth.</summary>
    Tls,

    /// <summary>Envelopes and receipts: digitalSignature (nonRepudiation allowed).</summary>
    Signing,

    /// <summary>Content keys: keyAgreement for EC keys, keyEncipherment for RSA keys.</summary>
    Encryption,
}
