namespace Gateway.Contracts.Messages.Bodies;

/// <summary>
/// International protection, residence status and the reflection period (category Residence): in a referral, the
/// situation in the sending state; in a status update, what changed there.
/// </summary>
public sealed record ResidenceBlock
{
    /// <summary><c>NotNeeded</c>, <c>Needed</c>, <c>WishesToApply</c>, <c>Applied</c>, <c>Granted</c> or <c>Refused</c>.</summary>
    public string? InternationalProtection { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code of the state where protection was applied for, granted or refused.</summary>
    public string? InternationalProtectionState { get; init; }

    /// <summary>
    /// <c>Citizen</c>, <c>EuCitizen</c>, <c>ResidencePermit</c>, <c>VictimPermitApplied</c>, <c>VictimPermitGranted</c>,
    /// <c>ReflectionPeriod</c>, <c>NoStatus</c> or <c>Unknown</c>.
    /// </summary>
    public string? Status { get; init; }

    /// <summary>Last day of the reflection period (Directive 2004/81/EC).</summary>
    public DateOnly? ReflectionPeriodEnd { get; init; }

    public bool? LegalCounsellingNeeded { get; init; }
}
