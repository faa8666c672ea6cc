using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using k8s;

namespace RocketMqSource.Controller.Hosting;

/// <summary>Builds the controller's web host: JSON logs, probes, metrics and the controller service.</summary>
internal static class ControllerHost
{
    public static WebApplication Build(ControllerOptions options, IKubernetes client, IPAddress? listenAddress = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json =>
        {
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        builder.Logging.SetMinimumLevel(Level(options.LogLevel));
        // Probe and scrape requests would otherwise log several lines each.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel =>
        {
            var address = listenAddress ?? IPAddress.Any;
            kestrel.Listen(address, options.HealthPort);
            kestrel.Listen(address, options.MetricsPort);
        });
        builder.Services.AddSingleton(provider =>
            new ControllerRuntime(client, options, provider.GetRequiredService<ILoggerFactory>().CreateLogger("RocketMqSource.Controller")));
        builder.Services.AddHostedService<ControllerService>();
        var app = builder.Build();
        OperationsEndpoints.Map(app, options, app.Services.GetRequiredService<ControllerRuntime>());
        return app;
    }

    /// <summary>zap levels (config-logging loglevel.controller) to .NET levels.</summary>
    public static LogLevel Level(string? zap) => zap?.Trim().ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "dpanic" or "panic" or "fatal" => LogLevel.Critical,
        _ => LogLevel.Information,
    };
}
