using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;

namespace RocketMqSource.Controller.Hosting;

/// <summary>/health and /readiness on HEALTH_PORT; when config-observability says prometheus, the OpenTelemetry scrape endpoint /metrics on METRICS_PORT.</summary>
internal static class OperationsEndpoints
{
    public static void Map(WebApplication app, ControllerOptions options, ControllerRuntime runtime)
    {
        var lifetime = app.Services.GetService(typeof(IHostApplicationLifetime)) as IHostApplicationLifetime;
        var health = $"*:{options.HealthPort}";
        var metrics = $"*:{options.MetricsPort}";
        app.MapGet("/health", () => Results.Text("ok")).RequireHost(health);
        // Ready while the process runs (leader or standby); not after shutdown began.
        app.MapGet("/readiness", () => lifetime is { ApplicationStopping.IsCancellationRequested: false, ApplicationStarted.IsCancellationRequested: true }
            ? Results.Text(runtime.IsLeader ? "ok leader" : "ok standby")
            : Results.Text("shutting down", statusCode: StatusCodes.Status503ServiceUnavailable)).RequireHost(health);
        if (options.Observability.PrometheusMetrics)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireHost(metrics);
        }
    }
}
