namespace Gateway.Service.Outbox;

/// <summary>An outbox row leased for publishing, with the peer whose queue it goes to.</summary>
public sealed record DueDelivery(Guid MessageId, string PeerId);
