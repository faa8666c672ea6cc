using k8s.Models;
using RocketMqSource.Controller.Sinks;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>Why the planner cannot make the adapter Deployment right (typed; <see cref="SourceConditions"/> names the reason).</summary>
internal enum DeploymentBlocker
{
    InvalidSpec,
    NotOwned,
    WaitingForSink,
    WaitingForDeadLetterSink,
    WaitingForIdentity,
    SecretNotFound,
    SecretKeyNotFound,
}

internal sealed record DeploymentBlock(DeploymentBlocker Blocker, string Message);

/// <summary>
/// The source's conditions and the one place their reasons are decided, as Knative's status
/// types do with Mark* methods: callers report what happened, this decides how it reads.
/// Ready summarises the others and, when True, carries no reason or message (knative/pkg
/// apis/condition_set.go MarkTrue clears them).
/// </summary>
internal sealed class SourceConditions
{
    private ConditionState sinkProvided = ConditionState.Unknown(ConditionTypes.SinkProvided, Reasons.SinkNotResolved, "the sink has not been resolved yet");
    private ConditionState deployed = ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentProgressing, "waiting for the adapter Deployment");
    private ConditionState? oidcIdentity;

    public void MarkSink(ResolvedAddress sink) =>
        sinkProvided = ConditionState.True(ConditionTypes.SinkProvided, Reasons.SinkResolved, $"sink resolves to {sink.Uri}");

    /// <param name="reason">The resolver's finding (SinkNotFound, SinkNotReady, ...).</param>
    public void MarkNoSink(string reason, string message) =>
        sinkProvided = ConditionState.False(ConditionTypes.SinkProvided, reason, message);

    /// <summary>A dead-letter sink failure keeps the sink reason, prefixed so it says which destination failed.</summary>
    public void MarkNoDeadLetterSink(string reason, string message) =>
        sinkProvided = ConditionState.False(ConditionTypes.SinkProvided, "DeadLetter" + reason, "spec.delivery.deadLetterSink: " + message);

    public void MarkDeploymentBlocked(DeploymentBlock block) =>
        deployed = block.Blocker switch
        {
            DeploymentBlocker.InvalidSpec => ConditionState.False(ConditionTypes.Deployed, Reasons.InvalidSpec, block.Message),
            DeploymentBlocker.NotOwned => ConditionState.False(ConditionTypes.Deployed, Reasons.DeploymentNotOwned, block.Message),
            DeploymentBlocker.SecretNotFound => ConditionState.False(ConditionTypes.Deployed, Reasons.SecretNotFound, block.Message),
            DeploymentBlocker.SecretKeyNotFound => ConditionState.False(ConditionTypes.Deployed, Reasons.SecretKeyNotFound, block.Message),
            _ => ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentPending, block.Message),
        };

    /// <summary>The Deployed condition from the adapter Deployment's own status.</summary>
    public void PropagateDeploymentAvailability(V1Deployment deployment) => deployed = DeploymentAvailability.Evaluate(deployment);

    public void MarkDeploymentProgressing() =>
        deployed = ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentProgressing, "waiting for the adapter Deployment");

    /// <summary>knative/eventing pkg/auth/serviceaccount.go SetupOIDCServiceAccount: MarkOIDCIdentityCreatedSucceeded.</summary>
    public void MarkOIDCIdentityCreatedSucceeded() => oidcIdentity = new ConditionState(ConditionTypes.OIDCIdentityCreated, ConditionStatus.True, null, null);

    /// <summary>The flag is off: True, with Knative's reason "authentication-oidc feature disabled" and no message.</summary>
    public void MarkOIDCIdentityCreatedSucceededWithReason(string reason) =>
        oidcIdentity = new ConditionState(ConditionTypes.OIDCIdentityCreated, ConditionStatus.True, reason, null);

    public void MarkOIDCIdentityCreatedFailed(string message) =>
        oidcIdentity = ConditionState.False(ConditionTypes.OIDCIdentityCreated, Reasons.OIDCIdentityFailed, message);

    /// <summary>Ready first, then the conditions it summarises.</summary>
    public IReadOnlyList<ConditionState> All()
    {
        // A sink problem explains Ready before a deployment problem: the adapter waits for the sink.
        List<ConditionState> dependents = [sinkProvided, deployed];
        if (oidcIdentity is not null)
        {
            dependents.Add(oidcIdentity);
        }

        return [Ready(dependents), deployed, sinkProvided, .. oidcIdentity is null ? Array.Empty<ConditionState>() : [oidcIdentity]];
    }

    private static ConditionState Ready(IReadOnlyList<ConditionState> dependents)
    {
        if (dependents.All(c => c.IsTrue))
        {
            return new ConditionState(ConditionTypes.Ready, ConditionStatus.True, null, null);
        }

        var cause = dependents.FirstOrDefault(c => c.Status == ConditionStatus.False) ?? dependents.First(c => !c.IsTrue);
        return new ConditionState(ConditionTypes.Ready, cause.Status, cause.Reason, cause.Message);
    }
}
