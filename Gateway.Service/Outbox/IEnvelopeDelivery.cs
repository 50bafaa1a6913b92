namespace Gateway.Service.Outbox;

/// <summary>What a delivery queue's consumer does with a message id it takes from the broker (Delivery implements it).</summary>
public interface IEnvelopeDelivery
{
    /// <summary>One attempt; throws when the database cannot be reached, so the broker redelivers.</summary>
    Task DeliverAsync(Guid messageId, CancellationToken cancellationToken);

    /// <summary>How many deliveries to <paramref name="peerId"/> may be in flight at once: that peer queue's consumer limit.</summary>
    int ConcurrencyFor(string peerId);
}
