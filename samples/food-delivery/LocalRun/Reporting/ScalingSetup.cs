using System.Globalization;
using FoodDelivery.LocalRun.Keda;
using FoodDelivery.LocalRun.Serving;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>The lines that say, before the day starts, what scales what and by which rules, with each time constant and its compressed value. Pure.</summary>
internal static class ScalingSetup
{
    public static IEnumerable<string> Lines(LocalRunOptions options, KpaSettings kpa, ScaledObjectSettings keda, bool hasBacklogMetrics)
    {
        var factor = options.TimeFactor;
        string Here(TimeSpan cluster) => string.Create(CultureInfo.InvariantCulture, $"{cluster.TotalSeconds:0.#} s ({(cluster / factor).TotalSeconds:0.##} s here)");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"time          x{factor:0.#}: Knative's and KEDA's time constants are kept and their clock runs {factor:0.#} times faster (an emulation of their rules on one machine)");
        yield return options.Instances is { } instances
            ? $"autoscaling   order service fixed at {instances} instance(s) (--instances)"
            : string.Create(CultureInfo.InvariantCulture,
                $"autoscaling   order service by Knative KPA rules: {kpa.Metric.ToString().ToLowerInvariant()} target {kpa.Target:0.#} x {kpa.TargetUtilization:P0}, stable window {Here(kpa.StableWindow)}, panic window {Here(kpa.PanicWindow)} at {kpa.PanicThreshold:P0}, scale-to-zero grace {Here(kpa.ScaleToZeroGracePeriod)}, last-pod retention {Here(kpa.ScaleToZeroPodRetention)}, {kpa.MinScale}..{kpa.MaxScale} instances");
        yield return options.Adapters is { } adapters
            ? $"autoscaling   adapters fixed at {adapters} replica(s) (--adapters)"
            : !hasBacklogMetrics
                ? "autoscaling   adapters fixed at 1 replica: the KEDA emulation reads the backlog from the embedded emulator's /metrics"
                : string.Create(CultureInfo.InvariantCulture,
                    $"autoscaling   adapters by KEDA and HPA rules: ceil(backlog (ready + in flight) / {keda.Threshold:0}), woken from zero by new messages within {Here(keda.WakeWindow)}, {keda.MinReplicaCount}..{keda.MaxReplicaCount} replicas, polling {Here(keda.PollingInterval)}, cooldown {Here(keda.CooldownPeriod)}, HPA sync {Here(keda.HpaSyncPeriod)}, scale-down stabilisation {Here(keda.HpaDownscaleStabilization)}");
    }
}
