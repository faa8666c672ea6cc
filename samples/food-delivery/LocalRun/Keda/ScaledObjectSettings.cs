namespace FoodDelivery.LocalRun.Keda;

/// <summary>
/// The KEDA ScaledObject the controller writes for an autoscaled RocketMQSource
/// (src/RocketMqSource.Controller/Autoscaling/ScaledObjectBuilder.cs), plus the HPA that KEDA
/// makes from it and the Kubernetes defaults that HPA runs with. <see cref="ForOrderSource"/> is
/// the sample source with its KEDA annotations (samples/food-delivery/config/600-rocketmqsource.yaml;
/// a test keeps the two equal); the other values are the annotations' defaults. Durations are
/// cluster time: the local run compresses the clock, not these values.
/// </summary>
internal sealed record ScaledObjectSettings
{
    /// <summary>minReplicaCount (autoscaling.eventing.knative.dev/min-scale, default 0).</summary>
    public int MinReplicaCount { get; init; }

    /// <summary>maxReplicaCount (max-scale, default 50), also the HPA's maxReplicas.</summary>
    public int MaxReplicaCount { get; init; } = 50;

    /// <summary>pollingInterval (polling-interval, default 10 s): how often KEDA asks the trigger whether it is active.</summary>
    public TimeSpan PollingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>cooldownPeriod (cooldown-period, default 30 s): how long after the last active poll KEDA scales to zero.</summary>
    public TimeSpan CooldownPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>initialCooldownPeriod: not set by the controller, so KEDA's default 0 (pkg/scaling/executor/scale_executor.go).</summary>
    public TimeSpan InitialCooldownPeriod { get; init; } = TimeSpan.Zero;

    /// <summary>The prometheus trigger's threshold (lag-threshold, default 100): backlog per replica, the HPA's AverageValue target.</summary>
    public double Threshold { get; init; } = 100;

    /// <summary>The trigger's activationThreshold (activation-lag-threshold, default 0): active above it.</summary>
    public double ActivationThreshold { get; init; }

    /// <summary>
    /// The wake trigger's window (src/RocketMqSource.Controller/Autoscaling/WakeTrigger.cs Window):
    /// 2 x the polling interval + 60 s, so every new message is seen by two polls.
    /// </summary>
    public TimeSpan WakeWindow => (2 * PollingInterval) + TimeSpan.FromSeconds(60);

    /// <summary>The wake trigger's threshold (1): its value is 0 or 1, so it proposes at most one replica.</summary>
    public double WakeThreshold => 1;

    /// <summary>The HPA controller's sync period (kube-controller-manager --horizontal-pod-autoscaler-sync-period, 15 s).</summary>
    public TimeSpan HpaSyncPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The HPA's scale-down stabilisation window (--horizontal-pod-autoscaler-downscale-stabilization, 5 min).</summary>
    public TimeSpan HpaDownscaleStabilization { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The HPA's tolerance (--horizontal-pod-autoscaler-tolerance, 0.1).</summary>
    public double HpaTolerance { get; init; } = 0.1;

    /// <summary>The HPA's minReplicas: KEDA gives it minReplicaCount, at least 1 (zero is KEDA's own business).</summary>
    public int HpaMinReplicas => Math.Max(MinReplicaCount, 1);

    /// <summary>The sample source's annotations: min-scale 0, max-scale 5, lag-threshold 50.</summary>
    public static ScaledObjectSettings ForOrderSource() => new()
    {
        MinReplicaCount = 0,
        MaxReplicaCount = 5,
        Threshold = 50,
    };
}
