using Gateway.Service.Node;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Outbox;

/// <summary>
/// The outbox, its relay, and the bus they publish to (DESIGN §8.2): RabbitMQ quorum queues, or MassTransit's in-memory
/// transport when no broker is configured. One delivery queue per peer with its own consumer limit, and one for
/// messages whose peer left the registry; each message taken from them goes to <see cref="IEnvelopeDelivery"/>.
/// </summary>
public static class OutboxServices
{
    /// <param name="configuration">Read here to choose the transport, which MassTransit needs at registration.</param>
    public static IServiceCollection AddOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        var rabbitMq = configuration.GetSection(BusOptions.Section).Get<BusOptions>()?.UsesRabbitMq == true;
        services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BusOptions>, BusOptionsValidator>();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<DeliveryQueue>();
        services.AddHostedService<OutboxRelay>();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<DeliverEnvelopeConsumer>();
            if (!rabbitMq)
            {
                bus.UsingInMemory((context, transport) =>
                {
                    foreach (var (name, concurrency) in Queues(context))
                    {
                        transport.ReceiveEndpoint(name, endpoint =>
                        {
                            endpoint.ConcurrentMessageLimit = concurrency;
                            endpoint.UseMessageRetry(retry => retry.Interval(5, TimeSpan.FromSeconds(1)));
                            endpoint.ConfigureConsumer<DeliverEnvelopeConsumer>(context);
                        });
                    }
                });
                return;
            }

            bus.UsingRabbitMq((context, transport) =>
            {
                var options = context.GetRequiredService<IOptions<BusOptions>>().Value;
                transport.Host(new Uri(options.RabbitMqUri!), host =>
                {
                    if (options.RabbitMqClusterNodes.Count > 0)
                    {
                        host.UseCluster(cluster =>
                        {
                            foreach (var node in options.RabbitMqClusterNodes)
                            {
                                cluster.Node(node);
                            }
                        });
                    }
                });
                foreach (var (name, concurrency) in Queues(context))
                {
                    transport.ReceiveEndpoint(name, endpoint =>
                    {
                        endpoint.SetQuorumQueue();
                        endpoint.ConfigureConsumeTopology = false; // sent to directly; never bound to a shared exchange
                        endpoint.PrefetchCount = concurrency * 2;
                        endpoint.ConcurrentMessageLimit = concurrency;
                        endpoint.UseMessageRetry(retry => retry.Interval(5, TimeSpan.FromSeconds(1)));
                        endpoint.ConfigureConsumer<DeliverEnvelopeConsumer>(context);
                    });
                }
            });
        });
        services.Configure<MassTransitHostOptions>(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromSeconds(60);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }

    /// <summary>One queue per peer with its delivery's concurrency, and one (a single consumer) for messages whose peer left the registry.</summary>
    private static IEnumerable<(string Name, int Concurrency)> Queues(IServiceProvider services)
    {
        var queues = services.GetRequiredService<DeliveryQueue>();
        var delivery = services.GetRequiredService<IEnvelopeDelivery>();
        return services.GetRequiredService<NodeIdentity>().Peers.Peers
            .Select(peer => (queues.Name(peer.Id), delivery.ConcurrencyFor(peer.Id)))
            .Append((queues.Name(), 1));
    }
}
