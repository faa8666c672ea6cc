using k8s.Models;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Sinks;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>What the reconcile found about the source's OIDC identity (null when it did not look).</summary>
internal sealed record OidcOutcome(bool Enabled, string? ServiceAccountName, string? Failure);

/// <summary>Computes the source's status from what the reconcile read and wrote (pure); reasons come from <see cref="SourceConditions"/>.</summary>
internal static class StatusCalculator
{
    /// <param name="deployment">The adapter Deployment after the reconcile's write, or the observed one, or null.</param>
    /// <param name="rocketMq">The RocketMQReady condition, when the controller checks connectivity.</param>
    /// <param name="autoscaler">AutoscalerReady for a source that asks for autoscaling (informational), else null.</param>
    public static RocketMQSourceStatus Compute(
        V1Alpha1RocketMQSource source, SinkOutcome sink, SinkOutcome? deadLetterSink, DeploymentPlan plan, V1Deployment? deployment, DateTimeOffset now,
        OidcOutcome? oidc = null, ConditionState? rocketMq = null, ConditionState? autoscaler = null)
    {
        var conditions = new SourceConditions();
        MarkSinks(conditions, sink, deadLetterSink);
        conditions.MarkRocketMq(rocketMq);
        MarkDeployment(conditions, source, plan, deployment);
        MarkOidc(conditions, oidc);
        conditions.MarkAutoscaler(autoscaler);
        var old = source.Status;
        var owned = deployment is not null && DeploymentComparison.IsControlledBy(deployment, source.Metadata.Uid) ? deployment : null;
        return new RocketMQSourceStatus
        {
            ObservedGeneration = source.Metadata.Generation,
            Conditions = ConditionUpdate.Apply(old?.Conditions, conditions.All(), now),
            SinkUri = sink.Address?.Uri.ToString(),
            SinkCACerts = sink.Address?.CACerts,
            SinkAudience = sink.Address?.Audience,
            DeadLetterSinkUri = deadLetterSink?.Address?.Uri.ToString(),
            DeadLetterSinkCACerts = deadLetterSink?.Address?.CACerts,
            DeadLetterSinkAudience = deadLetterSink?.Address?.Audience,
            Auth = oidc is { Enabled: true, ServiceAccountName: { } account } ? new AuthStatus { ServiceAccountName = account } : null,
            CeAttributes = CeAttributes(source),
            Annotations = old?.Annotations,
            Replicas = owned is null ? null : owned.Status?.Replicas ?? 0,
            Selector = owned?.Spec?.Selector?.MatchLabels is { Count: > 0 } labels ? string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")) : null,
        };
    }

    /// <summary>The one event source the adapter emits, built by the type the adapter builds it with (EventSourceUri, in the contract).</summary>
    public static IList<CloudEventAttributes>? CeAttributes(V1Alpha1RocketMQSource source) =>
        string.IsNullOrEmpty(source.Spec?.Topic)
            ? null
            : [new CloudEventAttributes
            {
                Type = V1Alpha1RocketMQSource.EventType,
                Source = new EventSourceUri(source.Metadata.NamespaceProperty, source.Metadata.Name, source.Spec.ConsumerGroup ?? string.Empty).Text(source.Spec.Topic),
            }];

    private static void MarkSinks(SourceConditions conditions, SinkOutcome sink, SinkOutcome? deadLetterSink)
    {
        if (!sink.Resolved)
        {
            conditions.MarkNoSink(sink.Reason!, sink.Message!);
        }
        else if (deadLetterSink is { Resolved: false } failed)
        {
            conditions.MarkNoDeadLetterSink(failed.Reason!, failed.Message!);
        }
        else
        {
            conditions.MarkSink(sink.Address!);
        }
    }

    private static void MarkDeployment(SourceConditions conditions, V1Alpha1RocketMQSource source, DeploymentPlan plan, V1Deployment? deployment)
    {
        // Waiting for the sink does not hide how an existing adapter is doing.
        var ownedDeployment = deployment is not null && DeploymentComparison.IsControlledBy(deployment, source.Metadata.Uid) ? deployment : null;
        var waiting = plan.Blocked?.Blocker is DeploymentBlocker.WaitingForSink or DeploymentBlocker.WaitingForDeadLetterSink or DeploymentBlocker.WaitingForIdentity;
        if (plan.Blocked is { } blocked && (!waiting || ownedDeployment is null))
        {
            conditions.MarkDeploymentBlocked(blocked);
        }
        else if (ownedDeployment is not null)
        {
            conditions.PropagateDeploymentAvailability(ownedDeployment);
        }
        else
        {
            conditions.MarkDeploymentProgressing();
        }
    }

    private static void MarkOidc(SourceConditions conditions, OidcOutcome? oidc)
    {
        switch (oidc)
        {
            case null:
                return;
            case { Enabled: false }:
                conditions.MarkOIDCIdentityCreatedSucceededWithReason(Reasons.OIDCFeatureDisabled);
                return;
            case { Failure: { } failure }:
                conditions.MarkOIDCIdentityCreatedFailed(failure);
                return;
            default:
                conditions.MarkOIDCIdentityCreatedSucceeded();
                return;
        }
    }
}
