using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// Decides whether an observed Deployment needs an update, looking only at the fields the
/// controller owns (labels, pinned replicas, pod template): fields the API server defaults
/// (imagePullPolicy, probe timeouts, ...) or other actors add do not count, so reconciling an
/// unchanged source never writes. Knative compares the same way (equality.Semantic.DeepDerivative).
/// </summary>
internal static class DeploymentComparison
{
    public static bool IsControlledBy(IKubernetesObject<V1ObjectMeta> deployment, string? ownerUid) =>
        ownerUid is { Length: > 0 } && deployment.GetController() is { } controller && controller.Uid == ownerUid;

    public static bool NeedsUpdate(V1Deployment desired, CachedDeployment observed) =>
        !(desired.Metadata.Labels ?? new Dictionary<string, string>()).All(l => observed.Metadata.Labels?.TryGetValue(l.Key, out var value) == true && value == l.Value)
        || (desired.Spec.Replicas is { } pinned && pinned != observed.Spec?.Replicas)
        || !Derives(desired.Spec.Template, observed.Template);

    /// <summary>
    /// The observed Deployment with our labels, owner reference, pod template and (when the
    /// desired Deployment pins them) replicas; everything else kept, an autoscaler's replicas too.
    /// </summary>
    public static V1Deployment Merge(V1Deployment desired, V1Deployment observed)
    {
        var merged = KubernetesJson.Deserialize<V1Deployment>(KubernetesJson.Serialize(observed));
        merged.Status = null;
        foreach (var (key, value) in desired.Metadata.Labels ?? new Dictionary<string, string>())
        {
            merged.SetLabel(key, value);
        }

        merged.Metadata.OwnerReferences = desired.Metadata.OwnerReferences;
        merged.Spec.Replicas = desired.Spec.Replicas ?? observed.Spec?.Replicas;
        merged.Spec.Template = desired.Spec.Template;
        return merged;
    }

    /// <summary>
    /// True when every field set in <paramref name="wanted"/> is present with an equal value in
    /// <paramref name="actual"/>. Both go through the official model's JSON form, so unset fields
    /// are absent and quantities are canonical ("0.5" and "500m" both read as 500m). Lists must
    /// have the same length: an extra env var is a change.
    /// </summary>
    private static bool Derives(V1PodTemplateSpec wanted, byte[]? actual) =>
        actual is not null && Covers(JsonNode.Parse(KubernetesJson.Serialize(wanted)), JsonNode.Parse(actual));

    private static bool Covers(JsonNode? wanted, JsonNode? actual) => wanted switch
    {
        null => true,
        JsonObject wantedObject => actual is JsonObject actualObject
            ? wantedObject.All(p => Covers(p.Value, actualObject[p.Key]))
            : wantedObject.Count == 0 && actual is null,
        JsonArray wantedArray => actual is JsonArray actualArray
            && wantedArray.Count == actualArray.Count
            && wantedArray.Zip(actualArray).All(pair => Covers(pair.First, pair.Second)),
        _ => actual is JsonValue && JsonNode.DeepEquals(wanted, actual),
    };
}
