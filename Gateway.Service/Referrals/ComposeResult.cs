using Gateway.Service.Node;

namespace Gateway.Service.Referrals;

/// <summary>A composed message, or why it cannot leave (a status, a stable code, a detail naming fields, never values).</summary>
public sealed record ComposeResult(ComposedMessage? Message, GatewayProblem? Refusal)
{
    public static implicit operator ComposeResult(GatewayProblem refusal) => new(null, refusal);

    public static implicit operator ComposeResult(ComposedMessage message) => new(message, null);
}
