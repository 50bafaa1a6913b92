namespace Gateway.Service.Keys;

/// <summary>What a sealed value is, bound into its seal.</summary>
public static class SealedPurpose
{
    /// <summary>The payload this node sent (header and body), as sealed for the recipient.</summary>
    public const string SentContent = "sent-content";

    /// <summary>The envelope this node sealed for a recipient, kept until delivered and then as the node's copy.</summary>
    public const string SentEnvelope = "sent-envelope";

    /// <summary>An envelope as a partner delivered it.</summary>
    public const string ReceivedEnvelope = "received-envelope";

    /// <summary>A VitalInterests justification.</summary>
    public const string Justification = "justification";

    /// <summary>The note of a break-glass access.</summary>
    public const string AccessNote = "access-note";
}
