namespace Gateway.Service.Inbox;

/// <summary>Stable codes of the inbox endpoints' refusals.</summary>
public static class InboxCodes
{
    public const string NotFound = "NOT_FOUND";
    public const string ContentErased = "CONTENT_ERASED";
}
