using System.Text.Json.Serialization;
using RocketMqSource.Kubernetes.Serialization;

namespace RocketMqSource.Kubernetes.Models;

/// <summary>metav1.ObjectMeta: the fields the controller reads and writes.</summary>
public sealed class V1ObjectMeta
{
    public string? Name { get; set; }

    public string? GenerateName { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public long? Generation { get; set; }

    public IDictionary<string, string>? Labels { get; set; }

    public IDictionary<string, string>? Annotations { get; set; }

    public IList<V1OwnerReference>? OwnerReferences { get; set; }

    public IList<string>? Finalizers { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? CreationTimestamp { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? DeletionTimestamp { get; set; }
}

/// <summary>metav1.OwnerReference: ties a dependent to its owner for garbage collection.</summary>
public sealed class V1OwnerReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public bool? Controller { get; set; }

    public bool? BlockOwnerDeletion { get; set; }
}

/// <summary>metav1.ListMeta of list responses.</summary>
public sealed class V1ListMeta
{
    public string? ResourceVersion { get; set; }

    public string? Continue { get; set; }

    public long? RemainingItemCount { get; set; }
}

/// <summary>A list response (items plus list metadata) for any item type.</summary>
public sealed class KubernetesList<T>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ListMeta? Metadata { get; set; }

    public IList<T> Items { get; set; } = [];
}

/// <summary>core/v1 ObjectReference: the object an Event is about.</summary>
public sealed class V1ObjectReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public string? FieldPath { get; set; }
}
