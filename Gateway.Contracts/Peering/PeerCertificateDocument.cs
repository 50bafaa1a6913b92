namespace Gateway.Contracts.Peering;

/// <summary>
/// One certificate a partner uses for a role. The pin (base64 SHA-256 of the SubjectPublicKeyInfo) is checked
/// against the certificate when the registry loads, so a copy-paste error stops the node at start.
/// </summary>
public sealed record PeerCertificateDocument
{
    public required string Certificate { get; init; }

    public required string Pin { get; init; }
}
