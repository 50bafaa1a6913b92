using System.Text.Json.Serialization;

namespace Gateway.Contracts.Peering;

/// <summary>A partner node as this node knows it.</summary>
public sealed record PeerDocument
{
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code.</summary>
    public required string Country { get; init; }

    public required PeerKind Kind { get; init; }

    /// <summary>Base URL of the partner's peer listener, e.g. <c>https://fi-nrm.example:7443</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>PEM of the CA that must anchor every certificate of this partner.</summary>
    public required string TrustAnchor { get; init; }

    /// <summary>At most two each, so a partner can rotate without downtime.</summary>
    public required IReadOnlyList<PeerCertificateDocument> Tls { get; init; }

    public required IReadOnlyList<PeerCertificateDocument> Signing { get; init; }

    public required IReadOnlyList<PeerCertificateDocument> Encryption { get; init; }

    /// <summary>
    /// Whether this node opens EnvelopedData with AES-CBC from this partner (<c>"acceptCbc": true</c>). Absent or false:
    /// such envelopes are refused before decryption, because CBC carries no integrity of its own.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AcceptCbc { get; init; }
}
