using Gateway.Service.Persistence;

namespace Gateway.Service.Cli.Demo;

/// <summary>With POSTGRES_CONNECTION set, each node gets its own database, dropped and made again on every run.</summary>
internal static class DemoDatabases
{
    public static async Task<string> RecreateAsync(string serverConnectionString, string nodeId, CancellationToken cancellationToken)
    {
        var database = PostgresDatabases.NameFor("gateway_demo", nodeId);
        await PostgresDatabases.DropAsync(serverConnectionString, database, cancellationToken);
        return await PostgresDatabases.EnsureAsync(serverConnectionString, database, cancellationToken);
    }
}
