using k8s.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>What a trimmed cache keeps of any object's metadata: its name, namespace, uid and resourceVersion.</summary>
public static class ObjectIdentity
{
    public static V1ObjectMeta Of(V1ObjectMeta? metadata) => new()
    {
        Name = metadata?.Name,
        NamespaceProperty = metadata?.NamespaceProperty,
        Uid = metadata?.Uid,
        ResourceVersion = metadata?.ResourceVersion,
    };
}
