namespace FoodDelivery.LocalRun.Keda;

/// <summary>
/// What KEDA remembers of a ScaledObject between polls: when it was created and when a trigger
/// was last seen active (status.lastActiveTime; null until then).
/// </summary>
internal sealed record ScaledObjectStatus(DateTimeOffset CreatedAt, DateTimeOffset? LastActiveTime = null);

/// <summary>One poll's outcome: the replicas to write (null: leave them) and the status to keep.</summary>
internal readonly record struct KedaDecision(int? ScaleTo, ScaledObjectStatus Status);

/// <summary>
/// KEDA's part of the scaling, once per polling interval (kedacore/keda
/// pkg/scaling/executor/scale_scaledobjects.go RequestScale, scaleFromZeroOrIdle,
/// scaleToZeroOrIdle): an active trigger takes a target at zero to max(minReplicaCount, 1) and
/// refreshes lastActiveTime; an inactive one takes it to minReplicaCount once the cooldown since
/// lastActiveTime (or the initial cooldown since creation) has passed, from however many replicas.
/// Between 1 and max the HPA decides (<see cref="HorizontalPodAutoscaler"/>). Pure.
/// </summary>
internal static class KedaScaleExecutor
{
    /// <summary>
    /// The ScaledObject is active when any trigger is (pkg/scaling/scale_handler.go
    /// getScaledObjectState); a prometheus trigger is active when its value exceeds its
    /// activationThreshold (pkg/scalers/prometheus_scaler.go GetMetricsAndActivity): the backlog
    /// above the configured one, the wake query above 0.
    /// </summary>
    public static bool IsActive(double backlog, double wake, ScaledObjectSettings settings) => backlog > settings.ActivationThreshold || wake > 0;

    public static KedaDecision RequestScale(ScaledObjectSettings settings, ScaledObjectStatus status, int currentReplicas, bool isActive, DateTimeOffset now)
    {
        var min = settings.MinReplicaCount;
        if (isActive)
        {
            var active = status with { LastActiveTime = now };
            return currentReplicas == 0 ? new(Math.Max(min, 1), active) : new(null, active);
        }

        if (currentReplicas > 0 && min == 0)
        {
            var cooledDown = status.LastActiveTime is { } lastActive
                ? lastActive + settings.CooldownPeriod < now
                : status.CreatedAt + settings.InitialCooldownPeriod < now;
            return new(cooledDown ? min : null, status);
        }

        return currentReplicas < min ? new(min, status) : new(null, status);
    }
}
