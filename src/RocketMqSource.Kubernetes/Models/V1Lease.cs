using System.Text.Json.Serialization;
using RocketMqSource.Kubernetes.Serialization;

namespace RocketMqSource.Kubernetes.Models;

/// <summary>coordination.k8s.io/v1 Lease, used for leader election.</summary>
public sealed class V1Lease : IKubernetesObject
{
    public const string ApiGroupVersion = "coordination.k8s.io/v1";
    public const string KindName = "Lease";

    public string? ApiVersion { get; set; } = ApiGroupVersion;

    public string? Kind { get; set; } = KindName;

    public V1ObjectMeta? Metadata { get; set; }

    public V1LeaseSpec? Spec { get; set; }
}

public sealed class V1LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }
}
