namespace Gateway.Service.Audit;

/// <summary>The outcome of checking the audit chain: how much was checked, and the first line that is broken, if any.</summary>
public sealed record AuditVerification(long Entries, int Checkpoints, long? BrokenAt, string? Problem)
{
    public bool Intact => BrokenAt is null;
}
