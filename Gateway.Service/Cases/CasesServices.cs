using Microsoft.Extensions.Options;

namespace Gateway.Service.Cases;

/// <summary>Cases, their units and assignees, need to know and break-glass access (DESIGN §14).</summary>
public static class CasesServices
{
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddOptions<CasesOptions>().BindConfiguration(CasesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CasesOptions>, CasesOptionsValidator>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton<CaseAccess>();
        return services;
    }
}
