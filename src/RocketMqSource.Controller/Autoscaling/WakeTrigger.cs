namespace RocketMqSource.Controller.Autoscaling;

/// <summary>
/// The rules of the second trigger, which takes a source from zero when messages arrive even if
/// the broker has forgotten its consumer group (and so exports no backlog for it).
/// KEDA activates a ScaledObject when any trigger is active (kedacore/keda
/// pkg/scaling/scale_handler.go getScaledObjectState), a prometheus trigger being active when
/// its value exceeds activationThreshold (pkg/scalers/prometheus_scaler.go GetMetricsAndActivity);
/// the HPA takes the highest replica count its metrics propose (kubernetes/kubernetes
/// pkg/controller/podautoscaler/horizontal.go computeReplicasForMetrics).
/// </summary>
internal static class WakeTrigger
{
    public const string BacklogName = "backlog";
    public const string Name = "wake";

    /// <summary>The query reads 0 or 1: above 0 it activates, so any new message takes the source from zero.</summary>
    public const int ActivationThreshold = 0;

    /// <summary>
    /// With AverageValue 1 a value of at most 1 proposes at most one replica, which the HPA's
    /// minReplicas (at least 1) already gives: above zero the backlog trigger alone decides.
    /// </summary>
    public const int Threshold = 1;

    /// <summary>
    /// How far back the query looks for new messages. A message shows in it from the first scrape
    /// after it arrived for exactly one window, so every window holds two KEDA polls, plus a
    /// minute for a slow scrape or a failed query. The price: the trigger stays active one window
    /// after the last message, so a source goes to zero that much later.
    /// </summary>
    public static TimeSpan Window(int pollingIntervalSeconds) => TimeSpan.FromSeconds((2 * pollingIntervalSeconds) + 60);
}
