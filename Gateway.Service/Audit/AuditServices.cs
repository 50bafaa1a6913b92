using Gateway.Service.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Audit;

/// <summary>The hash-chained audit log, its signed checkpoints, and the participant that writes lines with what they record.</summary>
public static class AuditServices
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddSingleton<ICommitParticipant, AuditTrail>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditCheckpointJob>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditCheckpointJob>());
        return services;
    }

    /// <summary>An audit trail for a database made outside a host (the command line, tests).</summary>
    public static ICommitParticipant Trail() => new AuditTrail();
}
