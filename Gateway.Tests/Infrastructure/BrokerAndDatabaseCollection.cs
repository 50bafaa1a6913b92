namespace Gateway.Tests.Infrastructure;

/// <summary>Tests that need a real RabbitMQ and a real PostgreSQL at once.</summary>
[CollectionDefinition(Name)]
public sealed class BrokerAndDatabaseCollection : ICollectionFixture<RabbitMqFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "RabbitMQ and PostgreSQL";
}
