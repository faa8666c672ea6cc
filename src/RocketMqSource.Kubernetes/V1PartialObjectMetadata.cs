using k8s;
using k8s.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>
/// meta.k8s.io/v1 PartialObjectMetadata: an object's identity and metadata only, which the
/// official models (KubernetesClient 21) do not include. Any object reads as one; an informer of
/// these keeps names and versions, never data.
/// </summary>
public sealed class V1PartialObjectMetadata : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();
}
