namespace Gateway.Service.Operations.Dashboard;

/// <summary>Who the dashboard is talking to: the caller's role (from the client certificate) and this node's id.</summary>
public sealed record CallerView(string Role, string NodeId);
