using RocketMqSource.Contract;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Reconciling;

namespace RocketMqSource.Controller.Hosting;

/// <summary>
/// The adapter settings the controller namespace's config-observability and config-logging
/// ConfigMaps decide (K_OBSERVABILITY_CONFIG, K_LOGGING_CONFIG), kept current as the maps change,
/// as knative/eventing pkg/reconciler/source/config_watcher.go does for its sources: a deleted map
/// means the defaults, an invalid one is refused and the last good settings stay.
/// </summary>
internal sealed class AdapterConfig(AdapterSettings initial)
{
    public const string ObservabilityMap = "config-observability";
    public const string LoggingMap = "config-logging";

    private readonly Lock gate = new();
    private AdapterSettings current = initial;

    public AdapterSettings Current
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    /// <summary>
    /// Takes a map's new data (null: the map was deleted); true when the adapters' settings changed.
    /// Throws <see cref="ArgumentException"/> for an invalid config-observability, leaving the settings as they were.
    /// </summary>
    public bool Apply(string name, IDictionary<string, string>? data)
    {
        lock (gate)
        {
            var next = name switch
            {
                ObservabilityMap => current with { ObservabilityConfig = ObservabilitySettings.FromConfigMap(data).ToKnativeJson() },
                LoggingMap => current with { LoggingConfig = AdapterEnvironment.LoggingConfig(Value(data, LoggingConfigKeys.ZapLoggerConfig), Value(data, LoggingConfigKeys.AdapterLevel)) },
                _ => current,
            };
            var changed = next != current;
            current = next;
            return changed;
        }
    }

    private static string? Value(IDictionary<string, string>? data, string key) => data is not null && data.TryGetValue(key, out var value) ? value : null;
}
