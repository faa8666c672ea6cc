using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace RocketMqSource.Adapter.Configuration;

/// <summary>
/// Reads the parts of Knative's shared config maps that apply to the adapter:
/// K_LOGGING_CONFIG (config-logging: zap level, per-component override) and
/// K_OBSERVABILITY_CONFIG (config-observability: metrics protocol).
/// </summary>
internal static class KnativeConfigParser
{
    public const string LoggingVariable = "K_LOGGING_CONFIG";
    public const string ObservabilityVariable = "K_OBSERVABILITY_CONFIG";

    /// <summary>The component name for <c>loglevel.&lt;component&gt;</c> in config-logging.</summary>
    public const string Component = "rocketmqsource-adapter";

    public static LogLevel LogLevel(string? json)
    {
        if (json is null)
        {
            return Microsoft.Extensions.Logging.LogLevel.Information;
        }

        using var document = ParseObject(LoggingVariable, json);
        var root = document.RootElement;
        if (root.TryGetProperty($"loglevel.{Component}", out var componentLevel) && componentLevel.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(componentLevel.GetString()))
        {
            return ZapLevel(componentLevel.GetString()!);
        }

        if (root.TryGetProperty("zap-logger-config", out var zap) && zap.ValueKind == JsonValueKind.String)
        {
            using var zapDocument = ParseObject(LoggingVariable, zap.GetString()!);
            if (zapDocument.RootElement.TryGetProperty("level", out var level) && level.ValueKind == JsonValueKind.String)
            {
                return ZapLevel(level.GetString()!);
            }
        }

        return Microsoft.Extensions.Logging.LogLevel.Information;
    }

    /// <summary>False when metrics are switched off (<c>"metrics":{"protocol":"none"}</c>).</summary>
    public static bool MetricsEnabled(string? json)
    {
        if (json is null)
        {
            return true;
        }

        using var document = ParseObject(ObservabilityVariable, json);
        if (document.RootElement.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object
            && metrics.TryGetProperty("protocol", out var protocol) && protocol.ValueKind == JsonValueKind.String)
        {
            return !string.Equals(protocol.GetString(), "none", StringComparison.OrdinalIgnoreCase);
        }

        return true;
    }

    private static LogLevel ZapLevel(string level) => level.Trim().ToLowerInvariant() switch
    {
        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "info" => Microsoft.Extensions.Logging.LogLevel.Information,
        "warn" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
        "dpanic" or "panic" or "fatal" => Microsoft.Extensions.Logging.LogLevel.Critical,
        _ => throw new ConfigurationException(LoggingVariable, $"unknown log level '{level}' (debug, info, warn, error, dpanic, panic, fatal)"),
    };

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
