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

    /// <summary>The conversation is not one this node shares with the sending partner (or a new referral tried to enter another partner's).</summary>
    public const string ConversationNotShared = "CONVERSATION_NOT_SHARED";

    /// <summary><c>inReplyTo</c> names no message exchanged with the sending partner in that conversation.</summary>
    public const string InReplyToUnknown = "IN_REPLY_TO_UNKNOWN";

    /// <summary>The conversation id is not 8–64 letters, digits and dashes (it lands in the audit log, which is never erased).</summary>
    public const string ConversationIdInvalid = "CONVERSATION_ID_INVALID";
}
