namespace Gateway.Service.Erasure;

/// <summary>Withdrawal at the sending node: cancel, notify every holder, track their confirmations.</summary>
public static class ErasureServices
{
    public static IServiceCollection AddErasure(this IServiceCollection services)
    {
        services.AddSingleton<WithdrawalStore>();
        services.AddSingleton<WithdrawalCoordinator>();
        return services;
    }
}
