namespace Gateway.Tests.Infrastructure;

/// <summary>Tests that need a real PostgreSQL server share one <see cref="PostgresFixture"/>.</summary>
/// <remarks>xunit 2 only discovers public collection definitions.</remarks>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
