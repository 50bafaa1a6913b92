using Gateway.Crypto.Envelopes;

namespace Gateway.Service.Referrals;

/// <summary>Composing and sending: the composer every outgoing message passes, the sender that stores it with its outbox row, the caseworker's endpoints.</summary>
public static class ReferralsServices
{
    public static IServiceCollection AddReferrals(this IServiceCollection services)
    {
        services.AddSingleton<EnvelopeSealer>();
        services.AddSingleton<SentMessageStore>();
        services.AddSingleton<ReferralComposer>();
        services.AddSingleton<ReferralSender>();
        services.AddSingleton<CaseResolver>();
        return services;
    }
}
