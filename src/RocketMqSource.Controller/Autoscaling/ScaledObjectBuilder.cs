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
        var window = WakeTrigger.Window(request.PollingInterval);
        string Query(string template) => BacklogQuery.Render(template, spec.Topic ?? string.Empty, spec.ConsumerGroup ?? string.Empty, window);
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
                ["triggers"] = new JsonArray(
                    PrometheusTrigger(WakeTrigger.BacklogName, serverAddress, Query(request.QueryTemplate ?? config.QueryTemplate), request.LagThreshold, request.ActivationLagThreshold),
                    PrometheusTrigger(WakeTrigger.Name, serverAddress, Query(config.WakeQueryTemplate), WakeTrigger.Threshold, WakeTrigger.ActivationThreshold)),
            },
        };
    }

    /// <summary>
    /// A prometheus trigger; its metadata values are strings (kedacore/keda pkg/scalers/prometheus_scaler.go
    /// names). The name shows in KEDA's status and events; the metric stays per trigger index.
    /// </summary>
    private static JsonObject PrometheusTrigger(string name, string serverAddress, string query, int threshold, int activationThreshold) => new()
    {
        ["type"] = "prometheus",
        ["name"] = name,
        ["metadata"] = new JsonObject
        {
            ["serverAddress"] = serverAddress,
            ["query"] = query,
            ["threshold"] = threshold.ToString(CultureInfo.InvariantCulture),
            ["activationThreshold"] = activationThreshold.ToString(CultureInfo.InvariantCulture),
        },
    };

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
