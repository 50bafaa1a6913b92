namespace Gateway.Service.Outbox;

/// <summary>The broker message: only the id. The envelope stays in the database, the source of truth.</summary>
public sealed record DeliverEnvelope(Guid MessageId);
