namespace Gateway.Service.Referrals;

/// <summary>A peer that received data in a conversation.</summary>
public sealed record DataHolder(string PeerId, string ConversationId);
