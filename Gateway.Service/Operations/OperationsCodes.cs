namespace Gateway.Service.Operations;

/// <summary>Stable codes of the operators' endpoints.</summary>
public static class OperationsCodes
{
    /// <summary>The message's state does not allow the action (a delivered message cannot be retried, one on the wire not cancelled).</summary>
    public const string NotAllowedInState = "NOT_ALLOWED_IN_STATE";

    public const string NotFound = "NOT_FOUND";

    /// <summary>The peer named in the path is not in this node's registry.</summary>
    public const string UnknownPeer = "UNKNOWN_RECIPIENT";
}
