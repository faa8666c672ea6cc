using System.Globalization;
using k8s.Models;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>The Deployed condition read from the adapter Deployment's own status (pure).</summary>
internal static class DeploymentAvailability
{
    public static ConditionState Evaluate(V1Deployment deployment)
    {
        var name = $"{deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}";
        var status = deployment.Status;
        var conditions = status?.Conditions ?? [];
        var available = Find(conditions, "Available");
        var progressing = Find(conditions, "Progressing");
        var failure = Find(conditions, "ReplicaFailure");

        if (failure is { Status: "True" })
        {
            return Unavailable(name, failure);
        }

        if (progressing is { Status: "False" })
        {
            return Unavailable(name, progressing);
        }

        if (status is null || conditions.Count == 0 || status.ObservedGeneration < deployment.Metadata.Generation)
        {
            return ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentProgressing, $"waiting for Deployment {name} to roll out");
        }

        if (available is { Status: "True" })
        {
            var wanted = deployment.Spec?.Replicas ?? 1;
            return ConditionState.True(ConditionTypes.Deployed, Reasons.DeploymentReady,
                string.Create(CultureInfo.InvariantCulture, $"Deployment {name} has {status.AvailableReplicas ?? 0}/{wanted} replicas available"));
        }

        return available is not null ? Unavailable(name, available)
            : ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentProgressing, $"waiting for Deployment {name} to become available");
    }

    private static ConditionState Unavailable(string name, V1DeploymentCondition condition)
    {
        var detail = NonEmpty(condition.Message) ?? NonEmpty(condition.Reason) ?? $"{condition.Type} is {condition.Status}";
        return ConditionState.False(ConditionTypes.Deployed, Reasons.DeploymentUnavailable, $"Deployment {name} is unavailable: {detail}");
    }

    private static V1DeploymentCondition? Find(IList<V1DeploymentCondition> conditions, string type) => conditions.FirstOrDefault(c => c.Type == type);

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
