namespace Gateway.Service.Referrals;

/// <summary>One step of a sent message's life: the state it entered, when, and why (a code, never content).</summary>
public sealed record MessageTransition(DateTimeOffset At, DeliveryState State, string Reason);
