using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>Everything a reconcile found, for the pure Deployment decision.</summary>
/// <param name="Observed">The adapter Deployment as the cache has it, or null.</param>
/// <param name="Identity">The source's OIDC identity when Knative's authentication-oidc is on and it exists.</param>
/// <param name="IdentityFailed">authentication-oidc is on and the identity could not be made.</param>
internal sealed record ReconcileInputs(
    V1Alpha1RocketMQSource Source,
    SinkResolution Sink,
    SinkResolution? DeadLetterSink,
    SecretCheck Secrets,
    CachedDeployment? Observed,
    AdapterSettings Settings,
    AdapterIdentity? Identity,
    bool IdentityFailed);

internal enum DeploymentAction
{
    None,
    Create,
    Update,
}

/// <summary>What to write (the desired Deployment, for a create or an update) and, when the Deployment cannot be made right, why.</summary>
internal sealed record DeploymentPlan(DeploymentAction Action, V1Deployment? Write, DeploymentBlock? Blocked);

/// <summary>Decides the adapter Deployment write from what the reconcile found (pure).</summary>
internal static class ReconcilePlanner
{
    public static DeploymentPlan Plan(ReconcileInputs inputs)
    {
        var source = inputs.Source;
        if (Blocker(inputs) is { } blocked)
        {
            return new DeploymentPlan(DeploymentAction.None, null, blocked);
        }

        var desired = AdapterDeploymentBuilder.Build(source, inputs.Sink.Address!, inputs.DeadLetterSink?.Address, inputs.Settings, inputs.Secrets.Versions, inputs.Identity);
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

        // An update writes this onto the whole stored object (DeploymentComparison.Merge): the cache keeps only part of it.
        return DeploymentComparison.NeedsUpdate(desired, inputs.Observed)
            ? new DeploymentPlan(DeploymentAction.Update, desired, null)
            : new DeploymentPlan(DeploymentAction.None, null, null);
    }

    private static DeploymentBlock? Blocker(ReconcileInputs inputs)
    {
        var source = inputs.Source;
        if (SpecValidator.Validate(source.Spec) is { Count: > 0 } problems)
        {
            return new DeploymentBlock(DeploymentBlocker.InvalidSpec, string.Join("; ", problems));
        }

        if (inputs.Observed is { } observed && !DeploymentComparison.IsControlledBy(observed, source.Metadata.Uid))
        {
            return new DeploymentBlock(DeploymentBlocker.NotOwned);
        }

        if (!inputs.Sink.Resolved)
        {
            return new DeploymentBlock(DeploymentBlocker.WaitingForSink);
        }

        if (inputs.DeadLetterSink is { Resolved: false })
        {
            return new DeploymentBlock(DeploymentBlocker.WaitingForDeadLetterSink);
        }

        if (inputs.IdentityFailed)
        {
            return new DeploymentBlock(DeploymentBlocker.WaitingForIdentity);
        }

        return inputs.Secrets.Problem switch
        {
            SecretProblem.NotFound => new DeploymentBlock(DeploymentBlocker.SecretNotFound, Secrets: inputs.Secrets),
            SecretProblem.KeyNotFound => new DeploymentBlock(DeploymentBlocker.SecretKeyNotFound, Secrets: inputs.Secrets),
            _ => null,
        };
    }
}
