using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using k8s;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace RocketMqSource.Controller.Hosting;

/// <summary>Builds the controller's web host: Knative zap-shaped JSON logs, probes, metrics and the controller service.</summary>
internal static class ControllerHost
{
    public static WebApplication Build(ControllerOptions options, IKubernetes client, IPAddress? listenAddress = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The adapter's line shape, with the keys Knative's controllers put on theirs (knative/pkg
        // sharedmain: knative.dev/pod; generated controller.go: knative.dev/controller and knative.dev/kind).
        builder.Logging.AddZapJsonConsole(KnativeLogKeys.Of(
            (KnativeLogKeys.Pod, options.PodName),
            (KnativeLogKeys.ControllerType, typeof(Reconciler).FullName),
            (KnativeLogKeys.Kind, $"{V1Alpha1RocketMQSource.Group}.{V1Alpha1RocketMQSource.KindName}")));
        var logLevel = new ControllerLogLevel(ZapLevels.Parse(options.LogLevel) ?? LogLevel.Information);
        logLevel.Install(builder.Logging);
        // Probe and scrape requests would otherwise log several lines each.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel =>
        {
            var address = listenAddress ?? IPAddress.Any;
            kestrel.Listen(address, options.HealthPort);
            if (options.Observability.PrometheusMetrics)
            {
                kestrel.Listen(address, options.MetricsPort);
            }
        });
        AddMetricsExport(builder.Services, options.Observability);
        builder.Services.AddSingleton(provider =>
            new ControllerRuntime(client, options, provider.GetRequiredService<ILoggerFactory>().CreateLogger("RocketMqSource.Controller"), logLevel));
        builder.Services.AddHostedService<ControllerService>();
        var app = builder.Build();
        OperationsEndpoints.Map(app, options, app.Services.GetRequiredService<ControllerRuntime>());
        return app;
    }

    /// <summary>
    /// The controller's metrics leave as config-observability says: Prometheus scrape (the default),
    /// OTLP push, or not at all. Read once at start: the exporter and its listener are fixed for the process.
    /// </summary>
    private static void AddMetricsExport(IServiceCollection services, ObservabilitySettings observability)
    {
        if (observability.MetricsProtocol == "none")
        {
            return;
        }

        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("rocketmqsource-controller")).WithMetrics(metrics =>
        {
            metrics.AddMeter(ControllerMetrics.Name);
            if (observability.PrometheusMetrics)
            {
                metrics.AddPrometheusExporter();
                return;
            }

            metrics.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = observability.OtlpMetricsEndpoint;
                exporter.Protocol = observability.MetricsProtocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                if (observability.MetricsExportInterval is { } interval && interval > TimeSpan.Zero)
                {
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
                }
            });
        });
    }
}
