using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Informers;

namespace RocketMqSource.Controller.Autoscaling;

/// <summary>A keda.sh/v1alpha1 ScaledObject as the cache keeps it: identity, labels, owners, spec and KEDA's Ready condition.</summary>
internal sealed class ScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public static ResourceType Resource { get; } = new("keda.sh", "v1alpha1", "scaledobjects");

    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();

    public JsonObject? Spec { get; set; }

    public JsonObject? Status { get; set; }

    /// <summary>KEDA's Ready condition (status, message), when it has reported one.</summary>
    public (string? Status, string? Message) Ready =>
        (Status?["conditions"] as JsonArray)?.FirstOrDefault(c => (string?)c?["type"] == "Ready") is { } ready
            ? ((string?)ready["status"], (string?)ready["message"])
            : (null, null);

    public bool IsControlledBy(string? ownerUid) => ownerUid is { Length: > 0 } && this.GetController()?.Uid == ownerUid;

    public static ScaledObject Trim(ScaledObject item) => new()
    {
        ApiVersion = item.ApiVersion,
        Kind = item.Kind,
        Metadata = ObjectIdentity.WithOwners(item.Metadata),
        Spec = item.Spec,
        Status = item.Ready is ({ } status, var message)
            ? new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = status, ["message"] = message }) }
            : null,
    };
}
