namespace Gateway.Service.Upgrade;

/// <summary>What a node written by an earlier release needs once, at start, beyond the schema migrations.</summary>
public static class UpgradeServices
{
    public static IServiceCollection AddUpgrade(this IServiceCollection services)
    {
        services.AddSingleton<CaseKeyUpgrade>();
        return services;
    }

    /// <summary>Runs the upgrades this database still lacks (after the schema migrations and the keys' start).</summary>
    public static Task UpgradeAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<CaseKeyUpgrade>().RunAsync(cancellationToken);
}
