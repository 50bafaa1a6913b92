namespace Gateway.Service.Referrals;

/// <summary>Until when a message accepted now is attempted: the delivery policy of its peer decides (Delivery implements it).</summary>
public interface IMessageDeadlines
{
    DateTimeOffset ExpiresAt(string peerId, DateTimeOffset acceptedAt);
}
