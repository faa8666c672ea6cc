namespace FoodDelivery.LocalRun.Keda;

/// <summary>
/// The HPA that KEDA creates for a ScaledObject, one sync at a time (kubernetes/kubernetes
/// pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler with no spec.behavior, as KEDA
/// leaves it unless the ScaledObject sets advanced.horizontalPodAutoscalerConfig):
/// per external metric (one per trigger) its replicas (replica_calculator.go
/// GetExternalPerPodMetricReplicas: KEDA's default metric type AverageValue, so ceil(value /
/// target) unless within the tolerance), the highest of them (computeReplicasForMetrics), then the highest recommendation of the scale-down stabilisation window, the scale-up limit
/// max(2 x current, 4), and minReplicas..maxReplicas. At zero replicas it does nothing: KEDA
/// owns 0 to 1. Pure apart from its recommendations; the caller passes the time.
/// </summary>
internal sealed class HorizontalPodAutoscaler(ScaledObjectSettings settings)
{
    private const double ScaleUpLimitFactor = 2.0;
    private const double ScaleUpLimitMinimum = 4.0;

    private readonly List<(int Replicas, DateTimeOffset At)> recommendations = [];

    /// <summary>
    /// One sync: the replicas to write, or null to leave them. <paramref name="specReplicas"/> is
    /// the target's scale spec, <paramref name="statusReplicas"/> its pods (the scale status);
    /// <paramref name="metrics"/> each trigger's value with its AverageValue target.
    /// </summary>
    public int? Sync(int specReplicas, int statusReplicas, IReadOnlyList<(double Value, double Target)> metrics, DateTimeOffset now)
    {
        if (recommendations.Count == 0)
        {
            recommendations.Add((specReplicas, now));
        }

        int desired;
        if (specReplicas == 0 && settings.HpaMinReplicas != 0)
        {
            // ScalingDisabled: "scaling is disabled since the replica count of the target is zero".
            return null;
        }

        if (specReplicas > settings.MaxReplicaCount)
        {
            desired = settings.MaxReplicaCount;
        }
        else if (specReplicas < settings.HpaMinReplicas)
        {
            desired = settings.HpaMinReplicas;
        }
        else
        {
            var proposal = metrics.Max(m => ExternalPerPodReplicas(statusReplicas, m.Value, m.Target, settings.HpaTolerance));
            desired = Normalize(specReplicas, Stabilize(proposal, now));
        }

        return desired != specReplicas ? desired : null;
    }

    /// <summary>
    /// ceil(total / target per pod) when total / (target x pods) is outside 1 ± tolerance, else the
    /// pods there are; values in milli-units as the HPA reads them (replica_calculator.go).
    /// </summary>
    public static int ExternalPerPodReplicas(int statusReplicas, double metricValue, double targetPerPod, double tolerance)
    {
        var usage = (long)Math.Round(metricValue * 1000);
        var target = (long)Math.Round(targetPerPod * 1000);
        var usageRatio = usage / ((double)target * statusReplicas);
        return Math.Abs(1.0 - usageRatio) > tolerance ? (int)Math.Ceiling(usage / (double)target) : statusReplicas;
    }

    /// <summary>
    /// The highest recommendation within the stabilisation window, this one included; this one
    /// takes the place of a sample older than the window, if any (horizontal.go stabilizeRecommendation).
    /// </summary>
    private int Stabilize(int proposal, DateTimeOffset now)
    {
        var cutoff = now - settings.HpaDownscaleStabilization;
        var highest = proposal;
        var oldSample = -1;
        for (var i = 0; i < recommendations.Count; i++)
        {
            if (recommendations[i].At < cutoff)
            {
                oldSample = i;
            }
            else
            {
                highest = Math.Max(highest, recommendations[i].Replicas);
            }
        }

        if (oldSample >= 0)
        {
            recommendations[oldSample] = (proposal, now);
        }
        else
        {
            recommendations.Add((proposal, now));
        }

        return highest;
    }

    /// <summary>At most max(2 x current, 4) and maxReplicas, at least minReplicas (horizontal.go convertDesiredReplicasWithRules).</summary>
    private int Normalize(int current, int desired)
    {
        var scaleUpLimit = (int)Math.Max(ScaleUpLimitFactor * current, ScaleUpLimitMinimum);
        var maximum = Math.Min(settings.MaxReplicaCount, scaleUpLimit);
        return desired < settings.HpaMinReplicas ? settings.HpaMinReplicas : Math.Min(desired, maximum);
    }
}
