using System.Text.Json.Nodes;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>Reads identity fields from typed objects and from untyped JSON alike.</summary>
internal static class ObjectMetadata
{
    public static string? Name(object obj) => Field(obj, m => m.Name, "name");

    public static string? Namespace(object obj) => Field(obj, m => m.Namespace, "namespace");

    public static string? Uid(object obj) => Field(obj, m => m.Uid, "uid");

    public static string? ResourceVersion(object obj) => Field(obj, m => m.ResourceVersion, "resourceVersion");

    /// <summary>The store key: "namespace/name", or "name" for cluster-scoped objects.</summary>
    public static string Key(object obj)
    {
        var name = Name(obj) ?? throw new InvalidOperationException("object has no metadata.name");
        return Namespace(obj) is { Length: > 0 } ns ? $"{ns}/{name}" : name;
    }

    private static string? Field(object obj, Func<V1ObjectMeta, string?> typed, string jsonName) => obj switch
    {
        IKubernetesObject k => k.Metadata is { } meta ? typed(meta) : null,
        JsonNode node => node["metadata"]?[jsonName]?.GetValue<string>(),
        _ => throw new NotSupportedException($"{obj.GetType().Name} is neither IKubernetesObject nor JsonNode"),
    };
}
