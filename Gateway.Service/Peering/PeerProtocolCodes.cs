namespace Gateway.Service.Peering;

/// <summary>
/// Stable problem codes of the peer protocol beyond the envelope's own (<see cref="Gateway.Crypto.EnvelopeErrorCodes"/>).
/// Partners act on them; never rename one.
/// </summary>
internal static class PeerProtocolCodes
{
    public const string ClientCertificateRequired = "CLIENT_CERTIFICATE_REQUIRED";
    public const string UnknownPeer = "UNKNOWN_PEER";
    public const string PeerNotPinned = "PEER_NOT_PINNED";
    public const string SignerNotTlsPeer = "SIGNER_NOT_TLS_PEER";
    public const string RoutingHeaderMissing = "ROUTING_HEADER_MISSING";
    public const string RoutingMismatch = "ROUTING_MISMATCH";
    public const string NotFresh = "NOT_FRESH";
    public const string Replayed = "REPLAYED";
    public const string TooLarge = "TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string StoreUnavailable = "STORE_UNAVAILABLE";
    public const string BodyTooSlow = "BODY_TOO_SLOW";
    public const string MalformedRequest = "MALFORMED_REQUEST";
}
