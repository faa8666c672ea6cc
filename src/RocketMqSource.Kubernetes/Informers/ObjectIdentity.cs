using k8s.Models;

namespace RocketMqSource.Kubernetes.Informers;

/// <summary>What a trimmed cache keeps of an object's metadata.</summary>
public static class ObjectIdentity
{
    /// <summary>Name, namespace, uid and resourceVersion.</summary>
    public static V1ObjectMeta Of(V1ObjectMeta? metadata) => new()
    {
        Name = metadata?.Name,
        NamespaceProperty = metadata?.NamespaceProperty,
        Uid = metadata?.Uid,
        ResourceVersion = metadata?.ResourceVersion,
    };

    /// <summary>Identity plus generation, labels and owner references: what deciding ownership and comparing labels needs.</summary>
    public static V1ObjectMeta WithOwners(V1ObjectMeta? metadata)
    {
        var kept = Of(metadata);
        kept.Generation = metadata?.Generation;
        kept.Labels = metadata?.Labels;
        kept.OwnerReferences = metadata?.OwnerReferences;
        return kept;
    }
}
