using Gateway.Contracts.Envelopes;
using Gateway.Service.Disclosure;

namespace Gateway.Service.Referrals;

/// <summary>A message that passed the gate and the minimiser: its signed header, what it discloses, and (when sealed) the envelope.</summary>
public sealed record ComposedMessage
{
    public required EnvelopeHeader Header { get; init; }

    public required MinimisedBody Minimised { get; init; }

    public string? Justification { get; init; }

    public Guid? ConsentId { get; init; }

    public byte[]? Envelope { get; init; }

    /// <summary>The payload JSON exactly as sealed.</summary>
    public byte[]? Payload { get; init; }
}
