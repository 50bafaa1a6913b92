using Gateway.Service.Node;
using Gateway.Service.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Keys;

/// <summary>Every case's data key, wrapped by the node's key-encryption key (DESIGN §15).</summary>
public static class KeysServices
{
    public static IServiceCollection AddKeys(this IServiceCollection services)
    {
        services.AddOptions<KeysOptions>().BindConfiguration(KeysOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeysOptions>, KeysOptionsValidator>();
        services.AddSingleton(provider => new CaseKeys(
            provider.GetRequiredService<Database>(),
            new KeyEncryptionKeyFile(
                provider.GetRequiredService<IOptions<KeysOptions>>().Value.KeyEncryptionKeyFile,
                KeyMaterial.For(provider.GetRequiredService<IOptions<NodeOptions>>().Value).Passphrase),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The keys of a database opened outside a host (tests, the command line).</summary>
    public static CaseKeys Open(Database database, string keyEncryptionKeyFile, string? passphrase, TimeProvider time) =>
        new(database, new KeyEncryptionKeyFile(keyEncryptionKeyFile, passphrase), time);
}
