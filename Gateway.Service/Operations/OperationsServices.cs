namespace Gateway.Service.Operations;

/// <summary>The operators' side (DESIGN §10): the queue's store and actions, the dashboard, queue and broker readings for the metrics, health.</summary>
public static class OperationsServices
{
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton<OperationsStore>();
        services.AddSingleton<BrokerQueueProbe>();
        services.AddHostedService<QueueSnapshotJob>();
        return services;
    }
}
