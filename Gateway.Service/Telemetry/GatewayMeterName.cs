namespace Gateway.Service.Telemetry;

/// <summary>
/// This host's meter name: <see cref="GatewayMetrics.MeterName"/> and an instance suffix. OpenTelemetry listens to
/// meters by name across the process, so two nodes in one process (the demo, the tests) would otherwise add up
/// each other's counts at both /metrics endpoints.
/// </summary>
public sealed record GatewayMeterName(string Value)
{
    public static GatewayMeterName ForNewHost() => new($"{GatewayMetrics.MeterName}.{Guid.NewGuid():N}");
}
