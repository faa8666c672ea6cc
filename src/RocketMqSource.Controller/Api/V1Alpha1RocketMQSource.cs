using k8s;
using k8s.Models;
using RocketMqSource.Contract;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Api;

/// <summary>sources.knative.dev/v1alpha1 RocketMQSource (config/300-rocketmqsource.yaml), in the official client's object shape.</summary>
public sealed class V1Alpha1RocketMQSource : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "sources.knative.dev";
    public const string ApiGroupVersion = "sources.knative.dev/v1alpha1";
    public const string KindName = "RocketMQSource";

    /// <summary>The CloudEvent type every message becomes.</summary>
    public const string EventType = RocketMqEvents.Type;

    public static ResourceType Resource { get; } = new(Group, "v1alpha1", "rocketmqsources");

    public string ApiVersion { get; set; } = ApiGroupVersion;

    public string Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();

    public RocketMQSourceSpec? Spec { get; set; }

    public RocketMQSourceStatus? Status { get; set; }

    /// <summary>The owner reference that makes this source the controller of what it owns, so deletion cascades (knative/pkg kmeta.NewControllerRef).</summary>
    public V1OwnerReference ControllerReference() => new()
    {
        ApiVersion = ApiGroupVersion,
        Kind = KindName,
        Name = Metadata.Name,
        Uid = Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>namespace/name: the work queue's key.</summary>
    public string Key() => $"{Metadata.NamespaceProperty}/{Metadata.Name}";
}
