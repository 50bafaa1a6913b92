namespace Gateway.Crypto.Certificates;

/// <summary>The three roles of DESIGN §2, and a person's client certificate (§14); each has its key-usage requirements.</summary>
public enum CertificateRole
{
    /// <summary>Mutual TLS: digitalSignature, serverAuth and clientAuth.</summary>
    Tls,

    /// <summary>Envelopes and receipts: digitalSignature (nonRepudiation allowed).</summary>
    Signing,

    /// <summary>Content keys: keyAgreement for EC keys, keyEncipherment for RSA keys.</summary>
    Encryption,

    /// <summary>A person's client certificate on the internal listener (internal CA or national eID): digitalSignature and clientAuth.</summary>
    PersonalClient,
}
