namespace Gateway.Tests.Infrastructure;

/// <summary>Tests that need a real RabbitMQ broker share one <see cref="RabbitMqFixture"/>.</summary>
/// <remarks>xunit 2 only discovers public collection definitions.</remarks>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMQ";
}
