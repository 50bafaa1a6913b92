namespace Gateway.Crypto.Peers;

/// <summary>The registered peer a certificate belongs to, and what operators should hear about it (stale CRL...).</summary>
public sealed record PeerAuthentication(TrustedPeer Peer, IReadOnlyList<string> Warnings);
