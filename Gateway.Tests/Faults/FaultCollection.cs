using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Faults;

/// <summary>
/// The fault-injection scenarios stop RabbitMQ and PostgreSQL under everyone's feet, so they run one by one and after
/// the parallel collections (xunit 2 runs collections without parallelisation last).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection : ICollectionFixture<RabbitMqFixture>, ICollectionFixture<PostgresFixture>, ICollectionFixture<FaultResultsFile>
{
    public const string Name = "Fault injection (real processes, RabbitMQ, PostgreSQL)";
}
