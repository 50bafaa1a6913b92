namespace Gateway.Tests.Infrastructure;

/// <summary>The message the RabbitMQ smoke test publishes (MassTransit message types need a namespace).</summary>
internal sealed record SmokeMessage(Guid Id, string Text);
