namespace Gateway.Service.Consent;

/// <summary>Consent records, the legal-basis gate, and the caseworker's consent endpoints (DESIGN §6).</summary>
public static class ConsentServices
{
    public static IServiceCollection AddConsent(this IServiceCollection services)
    {
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<ConsentGate>();
        return services;
    }
}
