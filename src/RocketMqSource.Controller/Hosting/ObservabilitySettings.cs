using System.Globalization;
using System.Text.Json.Nodes;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Reconciling;

namespace RocketMqSource.Controller.Hosting;

/// <summary>
/// The config-observability ConfigMap's keys (config/400-config-observability.yaml, named as in
/// knative/pkg observability/metrics/config.go and observability/tracing/config.go). They reach
/// the controller as environment variables for its own metrics, and are watched in the ConfigMap
/// itself for every adapter's metrics and spans (Knative's K_OBSERVABILITY_CONFIG JSON).
/// </summary>
internal sealed record ObservabilitySettings(
    string MetricsProtocol = "prometheus",
    string? MetricsEndpoint = null,
    TimeSpan? MetricsExportInterval = null,
    string TracingProtocol = "none",
    string? TracingEndpoint = null,
    double TracingSamplingRate = 0)
{
    private static readonly string[] MetricsProtocols = ["prometheus", "grpc", "http/protobuf", "none"];
    private static readonly string[] TracingProtocols = ["grpc", "http/protobuf", "none", "stdout"];

    /// <summary>Reads and validates the settings as knative/pkg validates them; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static ObservabilitySettings FromEnvironment(Func<string, string?> env)
    {
        string? Text(string name) => env(name) is { Length: > 0 } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;
        var settings = new ObservabilitySettings(
            Text("METRICS_PROTOCOL")?.ToLowerInvariant() ?? "prometheus",
            Text("METRICS_ENDPOINT"),
            Text("METRICS_EXPORT_INTERVAL") is { } interval
                ? Durations.TryParseGo(interval, out var parsed) && parsed >= TimeSpan.Zero ? parsed : throw new ArgumentException($"METRICS_EXPORT_INTERVAL must be a duration such as 30s, got '{interval}'")
                : null,
            Text("TRACING_PROTOCOL")?.ToLowerInvariant() ?? "none",
            Text("TRACING_ENDPOINT"),
            Text("TRACING_SAMPLING_RATE") is { } rate
                ? double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1 ? value : throw new ArgumentException($"TRACING_SAMPLING_RATE must lie between 0 and 1, got '{rate}'")
                : 0);
        if (!MetricsProtocols.Contains(settings.MetricsProtocol))
        {
            throw new ArgumentException($"METRICS_PROTOCOL '{settings.MetricsProtocol}' is not one of {string.Join(", ", MetricsProtocols)}");
        }

        if (!TracingProtocols.Contains(settings.TracingProtocol))
        {
            throw new ArgumentException($"TRACING_PROTOCOL '{settings.TracingProtocol}' is not one of {string.Join(", ", TracingProtocols)}");
        }

        if (settings.MetricsProtocol is "grpc" or "http/protobuf" && settings.MetricsEndpoint is null)
        {
            throw new ArgumentException($"METRICS_ENDPOINT must be set when METRICS_PROTOCOL is {settings.MetricsProtocol}");
        }

        if (settings.TracingProtocol is "grpc" or "http/protobuf" && settings.TracingEndpoint is null)
        {
            throw new ArgumentException($"TRACING_ENDPOINT must be set when TRACING_PROTOCOL is {settings.TracingProtocol}");
        }

        return settings;
    }

    /// <summary>The same settings read from the ConfigMap's data (null: no map, the defaults); its keys are the variables' names in kebab case.</summary>
    public static ObservabilitySettings FromConfigMap(IDictionary<string, string>? data) =>
        FromEnvironment(name => data is not null && data.TryGetValue(name.ToLowerInvariant().Replace('_', '-'), out var value) ? value : null);

    public bool PrometheusMetrics => MetricsProtocol == "prometheus";

    /// <summary>The OTLP metrics endpoint as a URL: without a scheme https:// is assumed, as knative/pkg observability/tracing/provider.go does.</summary>
    public Uri OtlpMetricsEndpoint => new(MetricsEndpoint!.Contains("://", StringComparison.Ordinal) ? MetricsEndpoint : "https://" + MetricsEndpoint);

    /// <summary>
    /// K_OBSERVABILITY_CONFIG for the adapters: knative/pkg's observability.Config as Go's
    /// encoding/json writes it (omitempty fields left out, the export interval in nanoseconds).
    /// </summary>
    public string ToKnativeJson()
    {
        var metrics = new JsonObject { ["protocol"] = MetricsProtocol };
        if (MetricsEndpoint is not null)
        {
            metrics["endpoint"] = MetricsEndpoint;
        }

        if (MetricsExportInterval is { } interval && interval > TimeSpan.Zero)
        {
            metrics["export_interval"] = interval.Ticks * 100;
        }

        var tracing = new JsonObject { ["protocol"] = TracingProtocol };
        if (TracingEndpoint is not null)
        {
            tracing["endpoint"] = TracingEndpoint;
        }

        if (TracingSamplingRate > 0)
        {
            tracing["sampling_rate"] = TracingSamplingRate;
        }

        return new JsonObject { ["metrics"] = metrics, ["tracing"] = tracing }.ToJsonString();
    }
}
