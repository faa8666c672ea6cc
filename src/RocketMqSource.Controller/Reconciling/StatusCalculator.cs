using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Sinks;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>Computes the source's status from what the reconcile read and wrote (pure).</summary>
internal static class StatusCalculator
{
    /// <param name="deployment">The adapter Deployment after the reconcile's write, or the observed one, or null.</param>
    /// <param name="rocketMq">The RocketMQReady condition, when the controller checks connectivity.</param>
    public static RocketMQSourceStatus Compute(V1Alpha1RocketMQSource source, SinkOutcome sink, SinkOutcome? deadLetterSink, DeploymentPlan plan, V1Deployment? deployment, DateTimeOffset now, ConditionState? rocketMq = null)
    {
        var sinkProvided = SinkCondition(sink, deadLetterSink);
        var deployed = DeployedCondition(source, plan, deployment);
        // RocketMQ before the Deployment: an adapter that cannot consume is why its pods are unavailable.
        ConditionState[] dependents = rocketMq is null ? [sinkProvided, deployed] : [sinkProvided, rocketMq, deployed];
        var ready = ReadyCondition(source, dependents);
        var old = source.Status;
        return new RocketMQSourceStatus
        {
            ObservedGeneration = source.Metadata.Generation,
            Conditions = ConditionUpdate.Apply(old?.Conditions, [ready, .. dependents.Reverse()], now),
            SinkUri = sink.Address?.Uri.ToString(),
            SinkCACerts = sink.Address?.CACerts,
            SinkAudience = sink.Address?.Audience,
            CeAttributes = CeAttributes(source),
            Annotations = old?.Annotations,
        };
    }

    /// <summary>The one event source the adapter emits: /apis/v1/namespaces/{ns}/rocketmqsources/{name}#{topic}.</summary>
    public static IList<CloudEventAttributes>? CeAttributes(V1Alpha1RocketMQSource source) =>
        string.IsNullOrEmpty(source.Spec?.Topic)
            ? null
            : [new CloudEventAttributes
            {
                Type = V1Alpha1RocketMQSource.EventType,
                Source = $"/apis/v1/namespaces/{source.Metadata.NamespaceProperty}/rocketmqsources/{source.Metadata.Name}#{source.Spec.Topic}",
            }];

    private static ConditionState SinkCondition(SinkOutcome sink, SinkOutcome? deadLetterSink)
    {
        if (!sink.Resolved)
        {
            return ConditionState.False(ConditionTypes.SinkProvided, sink.Reason!, sink.Message!);
        }

        if (deadLetterSink is { Resolved: false } failed)
        {
            return ConditionState.False(ConditionTypes.SinkProvided, Reasons.DeadLetter(failed.Reason!), "spec.delivery.deadLetterSink: " + failed.Message);
        }

        return ConditionState.True(ConditionTypes.SinkProvided, Reasons.SinkResolved, $"sink resolves to {sink.Address!.Uri}");
    }

    private static ConditionState DeployedCondition(V1Alpha1RocketMQSource source, DeploymentPlan plan, V1Deployment? deployment)
    {
        // Waiting for the sink does not hide how an existing adapter is doing.
        var ownedDeployment = deployment is not null && DeploymentComparison.IsControlledBy(deployment, source.Metadata.Uid) ? deployment : null;
        if (plan.Blocked is { } blocked && (blocked.Reason != Reasons.DeploymentPending || ownedDeployment is null))
        {
            return blocked;
        }

        return ownedDeployment is not null
            ? DeploymentAvailability.Evaluate(ownedDeployment)
            : ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentProgressing, "waiting for the adapter Deployment");
    }

    private static ConditionState ReadyCondition(V1Alpha1RocketMQSource source, ConditionState[] dependents)
    {
        if (dependents.All(c => c.IsTrue))
        {
            return ConditionState.True(ConditionTypes.Ready, Reasons.Ready,
                $"consuming topic {source.Spec?.Topic} as group {source.Spec?.ConsumerGroup} and delivering to the sink");
        }

        var cause = dependents.FirstOrDefault(c => c.Status == ConditionStatus.False) ?? dependents.First(c => !c.IsTrue);
        return new ConditionState(ConditionTypes.Ready, cause.Status, cause.Reason, cause.Message);
    }
}
