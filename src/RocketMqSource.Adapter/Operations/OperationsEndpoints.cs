using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RocketMqSource.Adapter.Operations;

/// <summary>Liveness and readiness on HEALTH_PORT, Prometheus metrics on METRICS_PORT.</summary>
internal static class OperationsEndpoints
{
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    // RequestDelegate handlers, not minimal-API delegates: those bind by reflection, which trimming and Native AOT break.
    public static void Map(IEndpointRouteBuilder endpoints, int healthPort, int? metricsPort, ReadinessState readiness, AdapterMetrics metrics)
    {
        var health = $"*:{healthPort}";
        endpoints.MapGet("/health", context => WriteTextAsync(context, StatusCodes.Status200OK, "ok")).RequireHost(health);
        endpoints.MapGet("/readiness", context => WriteTextAsync(context,
            readiness.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, readiness.ToJson(), "application/json")).RequireHost(health);
        if (metricsPort is { } port)
        {
            endpoints.MapGet("/metrics", context => WriteTextAsync(context, StatusCodes.Status200OK, metrics.ToPrometheusText(), PrometheusContentType))
                .RequireHost($"*:{port}");
        }
    }

    private static Task WriteTextAsync(HttpContext context, int status, string text, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
