using Microsoft.Extensions.Options;

namespace Gateway.Service.Persistence;

/// <summary>The database every feature writes through; its schema is brought up to date when the host is built.</summary>
public static class PersistenceServices
{
    public static IServiceCollection AddPersistence(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new Database(storage.Provider, storage.ConnectionString, provider.GetServices<ICommitParticipant>());
        });
        return services;
    }
}
