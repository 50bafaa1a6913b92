namespace Gateway.Service.Operations;

public static class OperationsCodes
{
    /// <summary>The message's state does not allow the action (a delivered message cannot be retried, one on the wire not cancelled).</summary>
    public const string NotAllowedInState = "NOT_ALLOWED_IN_STATE";
}
