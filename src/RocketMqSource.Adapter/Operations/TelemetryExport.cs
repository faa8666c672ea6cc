using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Operations;

/// <summary>
/// Wires the OpenTelemetry SDK to the adapter's instruments and spans as config-observability
/// says: a Prometheus scrape endpoint or OTLP push for metrics, OTLP for spans, sampled as
/// knative/pkg observability/tracing/provider.go samples (rate ≥ 1: always; ≤ 0: never; else
/// parent-based with a trace-id ratio for new traces).
/// </summary>
internal static class TelemetryExport
{
    public const string ServiceName = "rocketmqsource-adapter";

    /// <summary>The meter of the .NET runtime's built-in metrics (GC, thread pool, JIT, exceptions).</summary>
    public const string RuntimeMeter = "System.Runtime";

    public static void Add(IServiceCollection services, AdapterOptions options)
    {
        var observability = options.Operations.Observability;
        services.AddSingleton(_ => new AdapterTelemetry(options.RocketMq.Topic, options.RocketMq.ConsumerGroup));
        var otel = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName, serviceNamespace: options.Operations.Namespace));
        if (observability.MetricsProtocol != MetricsProtocol.None)
        {
            otel.WithMetrics(metrics =>
            {
                // The runtime's own instruments too (dotnet.gc.heap.total_allocated and the GC, thread-pool
                // and exception counts): the benchmark reads allocated bytes per event from them.
                metrics.AddMeter(AdapterTelemetry.Name, RuntimeMeter);
                if (observability.MetricsProtocol == MetricsProtocol.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                    return;
                }

                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    Target(exporter, observability.MetricsEndpoint!, observability.MetricsProtocol == MetricsProtocol.Grpc);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)observability.MetricsExportInterval.TotalMilliseconds;
                });
            });
        }

        if (observability.TracingProtocol != TracingProtocol.None)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(AdapterTelemetry.Name)
                .SetSampler(SamplerFor(observability.TracingSamplingRate))
                .AddOtlpExporter(exporter => Target(exporter, observability.TracingEndpoint!, observability.TracingProtocol == TracingProtocol.Grpc)));
        }
    }

    /// <summary>The scrape endpoint, on METRICS_PORT only, when metrics go to Prometheus.</summary>
    public static void MapScrapeEndpoint(IEndpointRouteBuilder endpoints, OperationsOptions options)
    {
        if (options.Observability.MetricsProtocol == MetricsProtocol.Prometheus)
        {
            endpoints.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{options.MetricsPort}");
        }
    }

    public static Sampler SamplerFor(double rate) =>
        rate >= 1 ? new AlwaysOnSampler()
        : rate <= 0 ? new AlwaysOffSampler()
        : new ParentBasedSampler(new TraceIdRatioBasedSampler(rate));

    private static void Target(OtlpExporterOptions exporter, Uri endpoint, bool grpc)
    {
        exporter.Endpoint = endpoint;
        exporter.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
    }
}
