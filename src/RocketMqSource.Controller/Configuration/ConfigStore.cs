namespace RocketMqSource.Controller.Configuration;

/// <summary>
/// Everything one reconcile reads from configuration, taken once at its start so the whole
/// reconcile sees one consistent version (knative/pkg configmap ConfigStore.ToContext).
/// </summary>
/// <param name="Adapter">config-observability, config-logging and ADAPTER_IMAGE: what every adapter gets.</param>
/// <param name="Features">Knative's config-features.</param>
/// <param name="Autoscaler">config-rocketmq-autoscaler.</param>
internal sealed record ConfigSnapshot(AdapterSettings Adapter, FeatureFlags Features, AutoscalerConfig Autoscaler);

/// <summary>The latest configuration the watches delivered; each change replaces one part of the snapshot.</summary>
internal sealed class ConfigStore(ConfigSnapshot initial)
{
    private ConfigSnapshot current = initial;

    public ConfigSnapshot Snapshot() => Volatile.Read(ref current);

    /// <summary>Replaces part of the snapshot; returns the previous one.</summary>
    public ConfigSnapshot Update(Func<ConfigSnapshot, ConfigSnapshot> change)
    {
        while (true)
        {
            var before = Volatile.Read(ref current);
            if (Interlocked.CompareExchange(ref current, change(before), before) == before)
            {
                return before;
            }
        }
    }
}
