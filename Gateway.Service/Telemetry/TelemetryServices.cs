using Gateway.Service.Access;
using Gateway.Service.Node;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Service.Telemetry;

/// <summary>OpenTelemetry metrics (scraped at /metrics) and traces; MassTransit, ASP.NET Core and HttpClient add their own.</summary>
public static class TelemetryServices
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        var meterName = GatewayMeterName.ForNewHost();
        services.AddSingleton(meterName);
        services.AddSingleton<GatewayMetrics>();
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(meterName.Value).AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(GatewayMetrics.MeterName, "MassTransit")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        return services;
    }

    /// <summary>The Prometheus endpoint, for operators and auditors on the internal listener.</summary>
    public static void MapTelemetry(this IEndpointRouteBuilder app, int internalPort) =>
        app.MapPrometheusScrapingEndpoint("/metrics").RequireListener(internalPort).RequireAuthorization(InternalRoles.OperatorOrAuditor);
}
