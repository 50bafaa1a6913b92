using Gateway.Service.Node;
using Gateway.Service.Persistence;
using MassTransit;

namespace Gateway.Service.Operations;

/// <summary><c>/health/live</c> and <c>/health/ready</c> on the internal listener, without a client certificate (probes).</summary>
internal static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app, int internalPort)
    {
        var health = app.MapGroup("/health").RequireListener(internalPort);
        health.MapGet("/live", () => Results.Ok(new { status = "live" }));
        health.MapGet("/ready", ReadinessAsync);
    }

    /// <summary>Ready when the database answers, the bus is connected and this node's own certificates are valid now (DESIGN §10).</summary>
    private static async Task<IResult> ReadinessAsync(Database database, IBusControl bus, NodeIdentity identity, TimeProvider time, CancellationToken cancellationToken)
    {
        string databaseCheck;
        try
        {
            await database.ScalarAsync("SELECT 1", cancellationToken);
            databaseCheck = "ok";
        }
        catch (System.Data.Common.DbException)
        {
            databaseCheck = "unavailable";
        }

        var broker = bus.CheckHealth().Status == BusHealthStatus.Healthy ? "ok" : "unavailable";
        var now = time.GetUtcNow().UtcDateTime;
        var certificates = new[] { identity.Tls, identity.Signing.Certificate, identity.Decryption.Certificate, identity.InternalTls }
            .All(certificate => certificate.NotBefore.ToUniversalTime() <= now && now <= certificate.NotAfter.ToUniversalTime()) ? "ok" : "expired";
        var ready = databaseCheck == "ok" && broker == "ok" && certificates == "ok";
        var body = new { status = ready ? "ready" : "not ready", node = identity.NodeId, checks = new { database = databaseCheck, broker, certificates } };
        return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
