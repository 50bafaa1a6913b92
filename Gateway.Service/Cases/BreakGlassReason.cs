namespace Gateway.Service.Cases;

/// <summary>Why a person opened another unit's case: a code the audit log may hold (the note beside it is sealed under the case's key).</summary>
public enum BreakGlassReason
{
    /// <summary>The person is in danger now and the unit cannot be reached.</summary>
    Emergency,

    /// <summary>Covering for the unit's caseworkers while they are away.</summary>
    CoveringAbsence,

    /// <summary>A supervisor asked for the case to be reviewed.</summary>
    SupervisorRequest,

    /// <summary>A partner asked about this case and the unit cannot answer now.</summary>
    PartnerEnquiry,
}
