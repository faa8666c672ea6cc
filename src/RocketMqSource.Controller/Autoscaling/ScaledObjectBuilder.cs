using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Autoscaling;

/// <summary>
/// Builds the keda.sh/v1alpha1 ScaledObject of a source (pure). It targets the source itself,
/// so KEDA scales through the RocketMQSource scale subresource (spec.replicas) and the controller
/// carries the count to the adapter Deployment; the source is its controller (deletion cascades).
/// </summary>
internal static class ScaledObjectBuilder
{
    public static ResourceType Resource => ScaledObject.Resource;

    public static string Name(V1Alpha1RocketMQSource source) => AdapterNames.DeploymentName(source);

    public static JsonObject Build(V1Alpha1RocketMQSource source, AutoscalingRequest request, AutoscalerConfig config, string serverAddress)
    {
        var spec = source.Spec!;
        var owner = source.ControllerReference();
        var labels = new JsonObject();
        foreach (var (key, value) in AdapterNames.Labels(source))
        {
            labels[key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = Resource.ApiVersion,
            ["kind"] = "ScaledObject",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name(source),
                ["namespace"] = source.Metadata.NamespaceProperty,
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = owner.ApiVersion,
                    ["kind"] = owner.Kind,
                    ["name"] = owner.Name,
                    ["uid"] = owner.Uid,
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject
                {
                    ["apiVersion"] = V1Alpha1RocketMQSource.ApiGroupVersion,
                    ["kind"] = V1Alpha1RocketMQSource.KindName,
                    ["name"] = source.Metadata.Name,
                },
                ["minReplicaCount"] = request.MinScale,
                ["maxReplicaCount"] = request.MaxScale,
                ["pollingInterval"] = request.PollingInterval,
                ["cooldownPeriod"] = request.CooldownPeriod,
                ["triggers"] = new JsonArray(new JsonObject
                {
                    ["type"] = "prometheus",
                    // Trigger metadata values are strings (kedacore/keda pkg/scalers/prometheus_scaler.go names).
                    ["metadata"] = new JsonObject
                    {
                        ["serverAddress"] = serverAddress,
                        ["query"] = BacklogQuery.Render(request.QueryTemplate ?? config.QueryTemplate, spec.Topic ?? string.Empty, spec.ConsumerGroup ?? string.Empty),
                        ["threshold"] = request.LagThreshold.ToString(CultureInfo.InvariantCulture),
                        ["activationThreshold"] = request.ActivationLagThreshold.ToString(CultureInfo.InvariantCulture),
                    },
                }),
            },
        };
    }

    /// <summary>The stored object with our spec, labels and owner reference; KEDA's status and other fields kept.</summary>
    public static JsonObject Merge(JsonObject desired, JsonObject observed)
    {
        var merged = (JsonObject)observed.DeepClone();
        merged.Remove("status");
        var metadata = merged["metadata"]!.AsObject();
        var labels = metadata["labels"] as JsonObject ?? [];
        foreach (var (key, value) in desired["metadata"]!["labels"]!.AsObject())
        {
            labels[key] = value!.DeepClone();
        }

        metadata["labels"] = labels;
        metadata["ownerReferences"] = desired["metadata"]!["ownerReferences"]!.DeepClone();
        merged["spec"] = desired["spec"]!.DeepClone();
        return merged;
    }

    /// <summary>Whether the cached ScaledObject's spec and our labels already match the desired one.</summary>
    public static bool Matches(JsonObject desired, ScaledObject observed) =>
        JsonNode.DeepEquals(desired["spec"], observed.Spec)
        && desired["metadata"]!["labels"]!.AsObject().All(l => observed.Metadata.Labels?.TryGetValue(l.Key, out var value) == true && value == (string?)l.Value);
}
