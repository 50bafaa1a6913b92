using Gateway.Crypto.Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Node;

/// <summary>The base every feature stands on: the clock, the node's identity and trust, its listeners and its problem answers.</summary>
public static class NodeServices
{
    public static IServiceCollection AddNode(this IServiceCollection services)
    {
        services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => NodeIdentity.Load(provider.GetRequiredService<IOptions<NodeOptions>>().Value));
        services.AddSingleton(provider => new CrlFiles(provider.GetRequiredService<IOptions<NodeOptions>>().Value.CrlFiles));
        services.AddSingleton(provider => new CrlStore(provider.GetRequiredService<CrlFiles>().Lists, provider.GetRequiredService<IOptions<NodeOptions>>().Value.CrlGracePeriod));
        services.AddSingleton(provider => new CertificateValidator(provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<CrlStore>()));
        services.AddHostedService<CrlWatcher>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, NodeListeners>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Routing.MatcherPolicy, ListenerRouting.ListenerMatcherPolicy>());

        // Every error answer is problem+json with a stable code, also those the framework writes (unreadable JSON,
        // unknown route, unhandled exception), which carry no detail that could echo a request's content.
        services.AddProblemDetails(problem => problem.CustomizeProblemDetails = context =>
        {
            var code = NodeCodes.ForStatus(context.ProblemDetails.Status);
            context.ProblemDetails.Extensions.TryAdd("code", code);
            context.ProblemDetails.Type = GatewayProblem.TypeOf((string)context.ProblemDetails.Extensions["code"]!);
        });
        return services;
    }
}
