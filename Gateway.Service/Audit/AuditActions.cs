namespace Gateway.Service.Audit;

/// <summary>The actions the audit log records.</summary>
public static class AuditActions
{
    public const string ConsentRecorded = "ConsentRecorded";
    public const string ConsentWithdrawn = "ConsentWithdrawn";
    public const string MessageSubmitted = "MessageSubmitted";
    public const string MessageRefused = "MessageRefused";
    public const string VitalInterestsDisclosure = "VitalInterestsDisclosure";
    public const string MessageReceived = "MessageReceived";
    public const string EnvelopeRefused = "EnvelopeRefused";
    public const string ContentRead = "ContentRead";
    public const string ContentErased = "ContentErased";
    public const string ErasureConfirmed = "ErasureConfirmed";
    public const string RetentionPurge = "RetentionPurge";
    public const string MessageRetried = "MessageRetried";
    public const string MessageCancelled = "MessageCancelled";
    public const string PeerSuspended = "PeerSuspended";
    public const string PeerResumed = "PeerResumed";
    public const string CaseOpened = "CaseOpened";
    public const string CaseViewed = "CaseViewed";
    public const string CaseAccessRefused = "CaseAccessRefused";
    public const string BreakGlass = "BreakGlass";
    public const string CaseAssigned = "CaseAssigned";
    public const string CaseMoved = "CaseMoved";
    public const string CaseErased = "CaseErased";
    public const string SubjectReport = "SubjectReport";
    public const string SignedIn = "SignedIn";
}
