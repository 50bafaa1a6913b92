namespace Gateway.Service.Inbox;

/// <summary>What partners sent: the store, the processor that acts on each message once and announces it, the caseworker's endpoints.</summary>
public static class InboxServices
{
    public static IServiceCollection AddInbox(this IServiceCollection services)
    {
        services.AddSingleton<InboxStore>();
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<StoredEnvelopes>();
        services.AddHostedService<InboxProcessor>();
        return services;
    }
}
