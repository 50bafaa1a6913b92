using Gateway.Service.Persistence;

namespace Gateway.Service.Referrals;

internal sealed record SendResult(SendMessageAccepted? AcceptedMessage, string? Code, string? Detail)
{
    public static SendResult Accepted(Guid messageId, DeliveryState state) => new(new SendMessageAccepted(messageId, state), null, null);

    public static SendResult Invalid(string code, string detail) => new(null, code, detail);
}
