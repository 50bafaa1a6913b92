using Gateway.Service.Node;

namespace Gateway.Service.Outbox;

/// <summary>Wakes the relay as soon as a message is stored, so a new referral does not wait for the next poll.</summary>
internal sealed class OutboxSignal : WakeSignal;
