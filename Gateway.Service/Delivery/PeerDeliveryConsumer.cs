using Gateway.Service.Outbox;
using MassTransit;

namespace Gateway.Service.Delivery;

/// <summary>Takes a delivery from the broker. Failures to reach the database are thrown so the broker retries.</summary>
internal sealed class PeerDeliveryConsumer(PeerDelivery delivery) : IConsumer<DeliverEnvelope>
{
    public Task Consume(ConsumeContext<DeliverEnvelope> context) =>
        delivery.DeliverAsync(context.Message.MessageId, context.CancellationToken);
}
