using Gateway.Service.Node;

namespace Gateway.Service.Inbox;

/// <summary>Wakes the inbox processor as soon as an envelope is stored.</summary>
internal sealed class InboxSignal : WakeSignal;
