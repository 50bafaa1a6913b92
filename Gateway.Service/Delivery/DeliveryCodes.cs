namespace Gateway.Service.Delivery;

/// <summary>
/// Why an attempt ended as it did when the peer gave no code of its own: a sent message's <c>lastError</c>, its
/// transitions and the operators' views carry these, or the peer's problem code.
/// </summary>
public static class DeliveryCodes
{
    public const string Timeout = "TIMEOUT";
    public const string ConnectionFailed = "CONNECTION_FAILED";
    public const string CircuitOpen = "CIRCUIT_OPEN";
    public const string TtlExpired = "TTL_EXPIRED";
    public const string PeerNotRegistered = "PEER_NOT_REGISTERED";
    public const string ContentErased = "CONTENT_ERASED";

    /// <summary>The peer answered 200 but its receipt does not prove delivery; followed by the receipt check's code.</summary>
    public const string ReceiptInvalid = "RECEIPT_INVALID";

    /// <summary>A sent message that does not exist here.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>A status without a problem code: <c>HTTP_</c> and the status.</summary>
    public static string ForStatus(int status) => $"HTTP_{status}";
}
