namespace Gateway.Service.Peering;

/// <summary>What the peer endpoint accepts (configuration section <c>Gateway</c>).</summary>
public sealed class PeerEndpointOptions
{
    public const string Section = "Gateway";

    /// <summary>Envelopes larger than this are refused with 413 before they are read.</summary>
    public long MaxEnvelopeBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How old an envelope's createdAt may be on arrival; must exceed the senders' time-to-live.</summary>
    public TimeSpan FreshnessWindow { get; set; } = TimeSpan.FromDays(8);

    /// <summary>How far in the future createdAt may be (clock skew between nodes).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
