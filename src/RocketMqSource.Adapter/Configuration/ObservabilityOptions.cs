namespace RocketMqSource.Adapter.Configuration;

/// <summary>How metrics leave the adapter (config-observability metrics-protocol).</summary>
internal enum MetricsProtocol
{
    /// <summary>A scrape endpoint on METRICS_PORT at /metrics.</summary>
    Prometheus,

    /// <summary>OTLP over gRPC, pushed every export interval.</summary>
    Grpc,

    /// <summary>OTLP over HTTP with protobuf bodies, pushed every export interval.</summary>
    HttpProtobuf,

    None,
}

/// <summary>How spans leave the adapter (config-observability tracing-protocol).</summary>
internal enum TracingProtocol
{
    None,
    Grpc,
    HttpProtobuf,
}

/// <summary>
/// The parts of Knative's config-observability the adapter honours (knative/pkg
/// observability/metrics/config.go and observability/tracing/config.go): where metrics and spans
/// go, how often metrics are pushed, and the share of new traces that are sampled.
/// </summary>
internal sealed record ObservabilityOptions(
    MetricsProtocol MetricsProtocol,
    Uri? MetricsEndpoint,
    TimeSpan MetricsExportInterval,
    TracingProtocol TracingProtocol,
    Uri? TracingEndpoint,
    double TracingSamplingRate)
{
    /// <summary>Without config-observability: Prometheus on METRICS_PORT, as before OpenTelemetry; no tracing.</summary>
    public static ObservabilityOptions Default { get; } = new(MetricsProtocol.Prometheus, null, TimeSpan.FromSeconds(60), TracingProtocol.None, null, 0);
}
