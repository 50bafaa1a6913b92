namespace Gateway.Service.Peering;

/// <summary>The routing headers of one request, parsed.</summary>
internal sealed record RoutingValues(Guid MessageId, string From, string To, string MessageType);
