using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;

namespace RocketMqSource.Controller.Sinks;

/// <summary>
/// Knative tenancy (pure): a destination ref in another namespace than its source is refused
/// unless config-features enables cross-namespace-event-links — knative/pkg apis/duck/v1
/// knative_reference.go Validate ("mismatched namespaces" unless apis.IsDifferentNamespaceAllowed),
/// which knative/eventing allows only with that flag (pkg/apis/feature/features.go).
/// </summary>
internal static class CrossNamespaceRule
{
    /// <returns>The refusal for a ref into another namespace, else null.</returns>
    public static SinkResolution? Check(Destination destination, string sourceNamespace, FeatureFlags features) =>
        destination.Ref is { Namespace: { Length: > 0 } refNamespace } && refNamespace != sourceNamespace && !features.IsCrossNamespaceEventLinks
            ? SinkResolution.Fail(SinkProblem.NamespaceNotAllowed, refNamespace, sourceNamespace)
            : null;
}
