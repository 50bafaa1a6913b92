namespace Gateway.Service.Referrals;

public sealed record SendMessageAccepted(Guid MessageId, DeliveryState State, string ConversationId, IReadOnlyList<string> DisclosedFields);
