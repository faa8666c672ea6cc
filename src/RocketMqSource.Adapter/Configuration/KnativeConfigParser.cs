using System.Text.Json;
using Microsoft.Extensions.Logging;
using RocketMqSource.Contract;
using RocketMqSource.Logging;

namespace RocketMqSource.Adapter.Configuration;

/// <summary>
/// Reads the parts of Knative's shared config maps that apply to the adapter:
/// K_LOGGING_CONFIG (config-logging: zap level, per-component override) and
/// K_OBSERVABILITY_CONFIG (config-observability: metrics and tracing export).
/// </summary>
internal static class KnativeConfigParser
{
    private const string LoggingVariable = AdapterVariables.LoggingConfig;
    private const string ObservabilityVariable = AdapterVariables.ObservabilityConfig;

    public static LogLevel LogLevel(string? json)
    {
        if (json is null)
        {
            return Microsoft.Extensions.Logging.LogLevel.Information;
        }

        using var document = ParseObject(LoggingVariable, json);
        var root = document.RootElement;
        if (root.TryGetProperty(LoggingConfigKeys.AdapterLevel, out var componentLevel) && componentLevel.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(componentLevel.GetString()))
        {
            return ZapLevel(componentLevel.GetString()!);
        }

        if (root.TryGetProperty(LoggingConfigKeys.ZapLoggerConfig, out var zap) && zap.ValueKind == JsonValueKind.String)
        {
            using var zapDocument = ParseObject(LoggingVariable, zap.GetString()!);
            if (zapDocument.RootElement.TryGetProperty("level", out var level) && level.ValueKind == JsonValueKind.String)
            {
                return ZapLevel(level.GetString()!);
            }
        }

        return Microsoft.Extensions.Logging.LogLevel.Information;
    }

    /// <summary>
    /// K_OBSERVABILITY_CONFIG: knative/pkg's observability.Config as JSON, <c>{"metrics":{"protocol",
    /// "endpoint","export_interval"},"tracing":{"protocol","endpoint","sampling_rate"}}</c> (Go's
    /// encoding/json: keys match case-insensitively, the interval is nanoseconds or a duration
    /// string). Validated as knative/pkg validates it: an OTLP protocol needs an endpoint, the
    /// sampling rate lies in [0, 1].
    /// </summary>
    public static ObservabilityOptions Observability(string? json)
    {
        if (json is null)
        {
            return ObservabilityOptions.Default;
        }

        using var document = ParseObject(ObservabilityVariable, json);
        var metrics = Section(document.RootElement, "metrics");
        var tracing = Section(document.RootElement, "tracing");
        var defaults = ObservabilityOptions.Default;
        var metricsProtocol = Text(metrics, "protocol") switch
        {
            null or "prometheus" => MetricsProtocol.Prometheus,
            "grpc" => MetricsProtocol.Grpc,
            "http/protobuf" => MetricsProtocol.HttpProtobuf,
            "none" => MetricsProtocol.None,
            var other => throw new ConfigurationException(ObservabilityVariable, $"unsupported metrics protocol '{other}' (prometheus, grpc, http/protobuf, none)"),
        };
        var tracingProtocol = Text(tracing, "protocol") switch
        {
            // stdout (a debugging exporter in Knative's Go code) has no place in a JSON-logging pod: treated as none.
            null or "none" or "stdout" => TracingProtocol.None,
            "grpc" => TracingProtocol.Grpc,
            "http/protobuf" => TracingProtocol.HttpProtobuf,
            var other => throw new ConfigurationException(ObservabilityVariable, $"unsupported tracing protocol '{other}' (grpc, http/protobuf, none)"),
        };
        var metricsEndpoint = Endpoint(metrics, "metrics", metricsProtocol is MetricsProtocol.Grpc or MetricsProtocol.HttpProtobuf);
        var tracingEndpoint = Endpoint(tracing, "tracing", tracingProtocol != TracingProtocol.None);
        var interval = Interval(metrics) ?? defaults.MetricsExportInterval;
        var rate = Number(tracing, "sampling_rate") ?? 0;
        if (rate is < 0 or > 1 || double.IsNaN(rate))
        {
            throw new ConfigurationException(ObservabilityVariable, $"tracing sampling rate {rate} must lie between 0 and 1");
        }

        return new ObservabilityOptions(metricsProtocol, metricsEndpoint, interval, tracingProtocol, tracingEndpoint, rate);
    }

    private static JsonElement? Section(JsonElement root, string name) =>
        Property(root, name) is { ValueKind: JsonValueKind.Object } section ? section : null;

    private static JsonElement? Property(JsonElement? element, string name)
    {
        if (element is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        foreach (var property in value.EnumerateObject())
        {
            // Go's encoding/json matches field names case-insensitively (Metrics, metrics).
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement? section, string name) =>
        Property(section, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text.Trim().ToLowerInvariant() : null;

    private static double? Number(JsonElement? section, string name) => Property(section, name) switch
    {
        { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
        { ValueKind: JsonValueKind.String } value when double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        null => null,
        _ => throw new ConfigurationException(ObservabilityVariable, $"{name} must be a number"),
    };

    private static TimeSpan? Interval(JsonElement? metrics)
    {
        var value = Property(metrics, "export_interval");
        TimeSpan interval;
        if (value is { ValueKind: JsonValueKind.Number } nanoseconds)
        {
            interval = TimeSpan.FromTicks(nanoseconds.GetInt64() / 100);
        }
        else if (value is { ValueKind: JsonValueKind.String } text && Durations.TryParse(text.GetString(), out var parsed))
        {
            interval = parsed;
        }
        else if (value is null)
        {
            return null;
        }
        else
        {
            throw new ConfigurationException(ObservabilityVariable, "metrics export_interval must be nanoseconds or a duration such as 30s");
        }

        // Zero means "the exporter's default" in Knative; negative is refused there too.
        return interval < TimeSpan.Zero ? throw new ConfigurationException(ObservabilityVariable, "metrics export_interval must not be negative")
            : interval == TimeSpan.Zero ? null : interval;
    }

    /// <summary>
    /// An OTLP endpoint, used as given (with its path). Without a scheme (<c>host:4318/v1/traces</c>)
    /// https:// is assumed, as knative/pkg observability/tracing/provider.go does.
    /// </summary>
    private static Uri? Endpoint(JsonElement? section, string signal, bool required)
    {
        var text = Property(section, "endpoint") is { ValueKind: JsonValueKind.String } value ? value.GetString()?.Trim() : null;
        if (string.IsNullOrEmpty(text))
        {
            return required ? throw new ConfigurationException(ObservabilityVariable, $"{signal} endpoint must be set for an OTLP protocol") : null;
        }

        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ConfigurationException(ObservabilityVariable, $"{signal} endpoint '{text}' is not an http(s) URL or host:port");
    }

    private static LogLevel ZapLevel(string level) =>
        ZapLevels.Parse(level) ?? throw new ConfigurationException(LoggingVariable, $"unknown log level '{level}' ({ZapLevels.Known})");

    private static JsonDocument ParseObject(string variable, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException(variable, $"is not valid JSON ({e.Message.Split('\n')[0]})");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ConfigurationException(variable, "must be a JSON object");
        }

        return document;
    }
}
