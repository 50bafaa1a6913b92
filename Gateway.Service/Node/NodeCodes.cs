namespace Gateway.Service.Node;

/// <summary>Codes of the answers the framework writes itself (unreadable JSON, unknown route, unhandled exception).</summary>
public static class NodeCodes
{
    public const string RequestInvalid = "REQUEST_INVALID";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string TooLarge = "TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>Any other status the framework answers: <c>HTTP_</c> and the status.</summary>
    public static string ForStatus(int? status) => status switch
    {
        400 => RequestInvalid,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => TooLarge,
        415 => UnsupportedMediaType,
        >= 500 => InternalError,
        var other => $"HTTP_{other}",
    };
}
