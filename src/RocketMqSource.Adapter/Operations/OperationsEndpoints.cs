using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RocketMqSource.Adapter.Operations;

/// <summary>Liveness and readiness on HEALTH_PORT (the Prometheus scrape endpoint is <see cref="TelemetryExport"/>'s).</summary>
internal static class OperationsEndpoints
{
    // RequestDelegate handlers, not minimal-API delegates: those bind by reflection, which trimming and Native AOT break.
    public static void Map(IEndpointRouteBuilder endpoints, int healthPort, ReadinessState readiness)
    {
        var health = $"*:{healthPort}";
        endpoints.MapGet("/health", context => WriteTextAsync(context, StatusCodes.Status200OK, "ok")).RequireHost(health);
        endpoints.MapGet("/readiness", context => WriteTextAsync(context,
            readiness.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, readiness.ToJson(), "application/json")).RequireHost(health);
    }

    private static Task WriteTextAsync(HttpContext context, int status, string text, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
