using Gateway.Crypto.Receipts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Peering;

/// <summary>The receiving end of the peer protocol (DESIGN §4): the endpoint, its checks, and the receipts it signs.</summary>
public static class PeeringServices
{
    public static IServiceCollection AddPeering(this IServiceCollection services)
    {
        services.AddOptions<PeerEndpointOptions>().BindConfiguration(PeerEndpointOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PeerEndpointOptions>, PeerEndpointOptionsValidator>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, PeerEndpointLimits>();
        services.AddSingleton<ReceiptSigner>();
        services.AddSingleton<InboundContentCheck>();
        services.AddSingleton<ConversationBinding>();
        services.AddSingleton<InboundEnvelopeReceiver>();
        return services;
    }
}
