using Gateway.Service.Outbox;
using Gateway.Service.Referrals;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Delivery;

/// <summary>Handing envelopes to peers (DESIGN §8.3): the attempt, the peers' HTTP clients, the retry policy, and the sent message's status.</summary>
public static class DeliveryServices
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddSingleton<IMessageDeadlines, DeliveryDeadlines>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<LegalBasisRecheck>();
        services.AddSingleton(new RetrySchedule(new Random()));
        services.AddSingleton<PeerClients>();
        services.AddSingleton<PeerClient>();
        services.AddSingleton<IEnvelopeDelivery, PeerDelivery>();
        return services;
    }
}
