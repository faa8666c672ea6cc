using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Sinks;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>The referenced Secrets: missing ones (reason and message) or their versions for the pod template.</summary>
internal sealed record SecretCheck(string? Reason, string? Message, string? Versions)
{
    public static SecretCheck None { get; } = new(null, null, null);
}

/// <summary>Everything a reconcile read, for the pure decisions.</summary>
internal sealed record ReconcileInputs(
    V1Alpha1RocketMQSource Source,
    SinkOutcome Sink,
    SinkOutcome? DeadLetterSink,
    SecretCheck Secrets,
    V1Deployment? Observed,
    AdapterSettings Settings);

internal enum DeploymentAction
{
    None,
    Create,
    Update,
}

/// <summary>What to write (if anything) and, when the Deployment cannot be made right, why.</summary>
internal sealed record DeploymentPlan(DeploymentAction Action, V1Deployment? Write, ConditionState? Blocked);

/// <summary>Decides the adapter Deployment write from what the reconcile read (pure).</summary>
internal static class ReconcilePlanner
{
    public static DeploymentPlan Plan(ReconcileInputs inputs)
    {
        var source = inputs.Source;
        if (Blocker(inputs) is { } blocked)
        {
            return new DeploymentPlan(DeploymentAction.None, null, blocked);
        }

        var desired = AdapterDeploymentBuilder.Build(source, inputs.Sink.Address!, inputs.DeadLetterSink?.Address, inputs.Settings, inputs.Secrets.Versions);
        if (inputs.Observed is null)
        {
            return new DeploymentPlan(DeploymentAction.Create, desired, null);
        }

        // Replicas are set at creation (spec.replicas or 1) and afterwards only when the source
        // pins them: otherwise whoever scales the Deployment (HPA, KEDA, kubectl scale) owns the count.
        if (source.Spec?.Replicas is null)
        {
            desired.Spec.Replicas = null;
        }

        return DeploymentComparison.NeedsUpdate(desired, inputs.Observed)
            ? new DeploymentPlan(DeploymentAction.Update, DeploymentComparison.Merge(desired, inputs.Observed), null)
            : new DeploymentPlan(DeploymentAction.None, null, null);
    }

    /// <summary>Spec problems outside spec.sink (which SinkProvided reports), or null.</summary>
    public static string? SpecProblems(V1Alpha1RocketMQSource source) =>
        SpecValidator.Validate(source.Spec) is { Count: > 0 } problems ? string.Join("; ", problems) : null;

    private static ConditionState? Blocker(ReconcileInputs inputs)
    {
        var source = inputs.Source;
        var name = AdapterNames.DeploymentName(source);
        if (SpecProblems(source) is { } problems)
        {
            return ConditionState.False(ConditionTypes.Deployed, Reasons.InvalidSpec, problems);
        }

        if (inputs.Observed is { } observed && !DeploymentComparison.IsControlledBy(observed, source.Metadata.Uid))
        {
            return ConditionState.False(ConditionTypes.Deployed, Reasons.DeploymentNotOwned,
                $"Deployment {source.Metadata.NamespaceProperty}/{name} already exists and is not controlled by this RocketMQSource; delete or rename it");
        }

        if (!inputs.Sink.Resolved)
        {
            return ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentPending, "the adapter is deployed once spec.sink resolves");
        }

        if (inputs.DeadLetterSink is { Resolved: false })
        {
            return ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentPending, "the adapter is deployed once spec.delivery.deadLetterSink resolves");
        }

        return inputs.Secrets.Reason is { } reason ? ConditionState.False(ConditionTypes.Deployed, reason, inputs.Secrets.Message!) : null;
    }
}
