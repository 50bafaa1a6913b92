namespace Gateway.Service.Audit;

/// <summary>The audit log's settings (configuration section <c>Gateway</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Gateway";

    /// <summary>How often the head of the audit chain is signed (when it has grown).</summary>
    public TimeSpan AuditCheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);
}
