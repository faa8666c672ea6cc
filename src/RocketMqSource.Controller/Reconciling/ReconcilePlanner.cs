using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Sinks;

namespace RocketMqSource.Controller.Reconciling;

internal enum SecretProblem
{
    NotFound,
    KeyNotFound,
}

/// <summary>The referenced Secrets: the first problem found (and its message) or their versions for the pod template.</summary>
internal sealed record SecretCheck(SecretProblem? Problem, string? Message, string? Versions)
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
    AdapterSettings Settings,
    AdapterIdentity? Identity = null,
    string? IdentityProblem = null);

internal enum DeploymentAction
{
    None,
    Create,
    Update,
}

/// <summary>What to write (if anything) and, when the Deployment cannot be made right, why.</summary>
internal sealed record DeploymentPlan(DeploymentAction Action, V1Deployment? Write, DeploymentBlock? Blocked);

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

        var desired = AdapterDeploymentBuilder.Build(source, inputs.Sink.Address!, inputs.DeadLetterSink?.Address, inputs.Settings, inputs.Secrets.Versions, inputs.Identity);
        if (inputs.Observed is null)
        {
            return new DeploymentPlan(DeploymentAction.Create, desired, null);
        }

        return DeploymentComparison.NeedsUpdate(desired, inputs.Observed)
            ? new DeploymentPlan(DeploymentAction.Update, DeploymentComparison.Merge(desired, inputs.Observed), null)
            : new DeploymentPlan(DeploymentAction.None, null, null);
    }

    /// <summary>Spec problems outside spec.sink (which SinkProvided reports), or null.</summary>
    public static string? SpecProblems(V1Alpha1RocketMQSource source) =>
        SpecValidator.Validate(source.Spec) is { Count: > 0 } problems ? string.Join("; ", problems) : null;

    private static DeploymentBlock? Blocker(ReconcileInputs inputs)
    {
        var source = inputs.Source;
        var name = AdapterNames.DeploymentName(source);
        if (SpecProblems(source) is { } problems)
        {
            return new DeploymentBlock(DeploymentBlocker.InvalidSpec, problems);
        }

        if (inputs.Observed is { } observed && !DeploymentComparison.IsControlledBy(observed, source.Metadata.Uid))
        {
            return new DeploymentBlock(DeploymentBlocker.NotOwned,
                $"Deployment {source.Metadata.NamespaceProperty}/{name} already exists and is not controlled by this RocketMQSource; delete or rename it");
        }

        if (!inputs.Sink.Resolved)
        {
            return new DeploymentBlock(DeploymentBlocker.WaitingForSink, "the adapter is deployed once spec.sink resolves");
        }

        if (inputs.DeadLetterSink is { Resolved: false })
        {
            return new DeploymentBlock(DeploymentBlocker.WaitingForDeadLetterSink, "the adapter is deployed once spec.delivery.deadLetterSink resolves");
        }

        if (inputs.IdentityProblem is not null)
        {
            // Deploying without the identity would send events unauthenticated or as the wrong account.
            return new DeploymentBlock(DeploymentBlocker.WaitingForIdentity, "the adapter is deployed once its OIDC identity exists");
        }

        return inputs.Secrets.Problem switch
        {
            SecretProblem.NotFound => new DeploymentBlock(DeploymentBlocker.SecretNotFound, inputs.Secrets.Message!),
            SecretProblem.KeyNotFound => new DeploymentBlock(DeploymentBlocker.SecretKeyNotFound, inputs.Secrets.Message!),
            _ => null,
        };
    }
}
