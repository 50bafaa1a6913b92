namespace Gateway.Service.Cases;

/// <summary>Cases and need to know (configuration section <c>Gateway:Cases</c>).</summary>
public sealed class CasesOptions
{
    public const string Section = "Gateway:Cases";

    /// <summary>How long a break-glass access to another unit's case lasts.</summary>
    public TimeSpan BreakGlassDuration { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Shortest break-glass note accepted.</summary>
    public int BreakGlassNoteMinimumLength { get; set; } = 20;
}
