namespace Gateway.Service.Operations.Dashboard;

/// <summary>A peer's circuit breaker as this node last saw it: closed, half-open or open.</summary>
public sealed record PeerCircuitView(string PeerId, string State);
