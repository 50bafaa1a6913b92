using System.Security.Cryptography.X509Certificates;
using Gateway.Contracts.Envelopes;
using Gateway.Crypto.Peers;

namespace Gateway.Crypto.Envelopes;

/// <summary>An envelope that decrypted, whose signature verified, whose signer is a registered peer, and whose header names that peer and this node.</summary>
public sealed record OpenedEnvelope
{
    public required EnvelopePayload Payload { get; init; }

    /// <summary>The signed payload bytes exactly as signed.</summary>
    public required byte[] PayloadJson { get; init; }

    public required TrustedPeer Sender { get; init; }

    public required X509Certificate2 SignerCertificate { get; init; }

    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>Certificate warnings (stale CRL and the like) for operators; they did not block the envelope.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
