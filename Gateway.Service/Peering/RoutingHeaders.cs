namespace Gateway.Service.Peering;

/// <summary>What a receiver needs before decryption (DESIGN §3.4); each must equal the signed header.</summary>
public static class RoutingHeaders
{
    public const string MessageId = "Gateway-Message-Id";
    public const string From = "Gateway-From";
    public const string To = "Gateway-To";
    public const string MessageType = "Gateway-Message-Type";

    public const string EnvelopeMediaType = "application/cms";
}
