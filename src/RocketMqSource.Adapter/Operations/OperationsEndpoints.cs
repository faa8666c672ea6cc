using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RocketMqSource.Adapter.Operations;

/// <summary>Liveness and readiness on HEALTH_PORT, Prometheus metrics on METRICS_PORT.</summary>
internal static class OperationsEndpoints
{
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Map(IEndpointRouteBuilder endpoints, int healthPort, int? metricsPort, ReadinessState readiness, AdapterMetrics metrics)
    {
        var health = $"*:{healthPort}";
        endpoints.MapGet("/health", () => Results.Text("ok")).RequireHost(health);
        endpoints.MapGet("/readiness", () => readiness.IsReady
            ? Results.Text("ready")
            : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable)).RequireHost(health);
        if (metricsPort is { } port)
        {
            endpoints.MapGet("/metrics", () => Results.Text(metrics.ToPrometheusText(), PrometheusContentType)).RequireHost($"*:{port}");
        }
    }
}
