namespace Gateway.Service.Cases;

/// <summary>Why a case's content was erased: in the case, its messages and their transitions.</summary>
public static class ErasureReasons
{
    /// <summary>The consent was withdrawn here, or a partner's ConsentWithdrawn arrived.</summary>
    public const string ConsentWithdrawn = "CONSENT_WITHDRAWN";

    /// <summary>The case's content was past its retention period.</summary>
    public const string Retention = "RETENTION";

    /// <summary>A message that arrived in a case already erased: kept as metadata only.</summary>
    public const string ArrivedAfterErasure = "ARRIVED_AFTER_ERASURE";
}
