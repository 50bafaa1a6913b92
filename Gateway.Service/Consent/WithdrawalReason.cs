namespace Gateway.Service.Consent;

/// <summary>Why a consent is withdrawn: a code the audit log and the partners' erasure may carry, never free text.</summary>
public enum WithdrawalReason
{
    /// <summary>The person (or their guardian or representative) said so.</summary>
    WithdrawnByPerson,

    /// <summary>The consent was recorded in error (wrong scope, wrong person).</summary>
    RecordedInError,

    /// <summary>The person's safety requires that partners hold nothing of them.</summary>
    SafetyRisk,

    /// <summary>The consent turned out not to be valid (not informed, not free, not given by who may give it).</summary>
    ConsentNotValid,
}
