namespace Gateway.Service.Casework;

/// <summary>The case as a whole, assembled from the features that hold its parts.</summary>
public static class CaseworkServices
{
    public static IServiceCollection AddCasework(this IServiceCollection services)
    {
        services.AddSingleton<CaseTimeline>();
        return services;
    }
}
