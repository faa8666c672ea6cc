using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Controller.Api;

/// <summary>sources.knative.dev/v1alpha1 RocketMQSource (config/300-rocketmqsource.yaml).</summary>
public sealed class V1Alpha1RocketMQSource : IKubernetesObject
{
    public const string Group = "sources.knative.dev";
    public const string ApiGroupVersion = "sources.knative.dev/v1alpha1";
    public const string KindName = "RocketMQSource";

    /// <summary>The CloudEvent type every message becomes.</summary>
    public const string EventType = "dev.knative.rocketmq.event";

    public static ResourceType Resource { get; } = new(Group, "v1alpha1", "rocketmqsources");

    public string? ApiVersion { get; set; } = ApiGroupVersion;

    public string? Kind { get; set; } = KindName;

    public V1ObjectMeta? Metadata { get; set; }

    public RocketMQSourceSpec? Spec { get; set; }

    public RocketMQSourceStatus? Status { get; set; }
}
