using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;

namespace RocketMqSource.Controller.Sinks;

/// <summary>
/// Knative tenancy (pure): a destination ref in another namespace than its source is refused
/// unless config-features enables cross-namespace-event-links — knative/pkg apis/duck/v1
/// knative_reference.go Validate ("mismatched namespaces" unless apis.IsDifferentNamespaceAllowed),
/// which knative/eventing allows only with that flag (pkg/apis/feature/features.go).
/// </summary>
internal static class CrossNamespaceRule
{
    /// <returns>A failed outcome (reason SinkNamespaceNotAllowed) for a refused ref, else null.</returns>
    public static SinkOutcome? Check(Destination destination, string sourceNamespace, FeatureFlags features)
    {
        if (destination.Ref is not { Namespace: { Length: > 0 } refNamespace } || refNamespace == sourceNamespace || features.IsCrossNamespaceEventLinks)
        {
            return null;
        }

        return SinkOutcome.Failure(Reasons.SinkNamespaceNotAllowed,
            $"mismatched namespaces: parent namespace: \"{sourceNamespace}\" does not match ref: \"{refNamespace}\"; " +
            $"enable {FeatureFlags.CrossNamespaceEventLinks} in Knative's {FeatureFlags.ConfigMapName} to allow it");
    }
}
