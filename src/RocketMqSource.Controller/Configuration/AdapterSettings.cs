using RocketMqSource.Contract;

namespace RocketMqSource.Controller.Configuration;

/// <summary>What the controller's own configuration contributes to every adapter.</summary>
/// <param name="Image">ADAPTER_IMAGE.</param>
/// <param name="LoggingConfig">K_LOGGING_CONFIG JSON for the adapter, or null.</param>
/// <param name="ObservabilityConfig">K_OBSERVABILITY_CONFIG JSON for the adapter (config-observability), or null.</param>
internal sealed record AdapterSettings(string Image, string? LoggingConfig, string? ObservabilityConfig = null)
{
    public const int MetricsPort = AdapterPorts.Metrics;
    public const int HealthPort = AdapterPorts.Health;
}
