using Gateway.Service.Node;

namespace Gateway.Service.Peering;

/// <summary>Either the signed receipt to answer with, or why the envelope was refused.</summary>
internal sealed record InboundResult(byte[]? Receipt, GatewayProblem? Rejection)
{
    public static InboundResult Accepted(byte[] receipt) => new(receipt, null);

    public static InboundResult Rejected(GatewayProblem rejection) => new(null, rejection);
}
