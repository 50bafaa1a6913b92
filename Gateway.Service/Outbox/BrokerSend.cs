using MassTransit;

namespace Gateway.Service.Outbox;

/// <summary>
/// A send to the broker that gives up after a deadline. RabbitMQ.Client 7 can leave a publish waiting for a confirm
/// forever when the broker restarts under it (rabbitmq-dotnet-client#1930); callers treat the timeout as a failed
/// publish and try again, which at worst puts a duplicate on the queue that the consumer's claim drops.
/// </summary>
internal static class BrokerSend
{
    public static async Task SendAsync<T>(ISendEndpointProvider endpoints, Uri address, T message, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var endpoint = await endpoints.GetSendEndpoint(address).WaitAsync(deadline.Token);
            await endpoint.Send(message, deadline.Token).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the broker did not confirm a send to {address} within {timeout.TotalSeconds:0.#} s", exception);
        }
    }
}
