namespace Gateway.Service.Retention;

/// <summary>Configuration section <c>Gateway:Retention</c> (DESIGN §9): content goes after these periods, metadata stays.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Gateway:Retention";

    /// <summary>How long the content of received messages is kept.</summary>
    public TimeSpan InboundContent { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long the node's copy of what it sent (and the sealed envelope) is kept once settled.</summary>
    public TimeSpan OutboundContent { get; set; } = TimeSpan.FromDays(365);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
