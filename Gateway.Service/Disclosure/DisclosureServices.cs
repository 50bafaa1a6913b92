using Microsoft.Extensions.Options;

namespace Gateway.Service.Disclosure;

/// <summary>Disclosure profiles and the payload checks both ends run (DESIGN §7).</summary>
public static class DisclosureServices
{
    public static IServiceCollection AddDisclosure(this IServiceCollection services)
    {
        services.AddOptions<DisclosureOptions>().BindConfiguration(DisclosureOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DisclosureOptions>, DisclosureOptionsValidator>();
        services.AddSingleton(provider => new DisclosurePolicy(provider.GetRequiredService<IOptions<DisclosureOptions>>().Value));
        services.AddSingleton<PayloadValidator>();
        return services;
    }
}
