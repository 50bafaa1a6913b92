using MassTransit;

namespace Gateway.Service.Outbox;

/// <summary>Takes a delivery from the broker and hands it to <see cref="IEnvelopeDelivery"/>. Failures to reach the database are thrown so the broker retries.</summary>
internal sealed class DeliverEnvelopeConsumer(IEnvelopeDelivery delivery) : IConsumer<DeliverEnvelope>
{
    public Task Consume(ConsumeContext<DeliverEnvelope> context) =>
        delivery.DeliverAsync(context.Message.MessageId, context.CancellationToken);
}
