using Gateway.Service.Referrals;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Delivery;

/// <summary>A message is attempted until its peer's time-to-live, counted from when it was accepted.</summary>
internal sealed class DeliveryDeadlines(IOptions<DeliveryOptions> options) : IMessageDeadlines
{
    public DateTimeOffset ExpiresAt(string peerId, DateTimeOffset acceptedAt) => acceptedAt + options.Value.For(peerId).TimeToLive;
}
