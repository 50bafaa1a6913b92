namespace Gateway.Service.Referrals;

/// <summary>Where an outbound message stands (DESIGN §8). Stored by name.</summary>
public enum DeliveryState
{
    Queued,
    InFlight,
    Delivered,
    RetryWaiting,
    Failed,
    Cancelled,
    Suspended,
}
