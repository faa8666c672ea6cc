using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RocketMqSource.Kubernetes.Models;
using RocketMqSource.Kubernetes.Serialization;

namespace RocketMqSource.Kubernetes;

/// <summary>Parses one line of a watch stream: {"type":"ADDED","object":{...}} (pure).</summary>
internal static class WatchLineParser
{
    public static WatchEvent<T> Parse<T>(string line, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var typeText = root.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
        var type = typeText switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => throw new JsonException($"unknown watch event type '{typeText}'"),
        };

        if (!root.TryGetProperty("object", out var objectElement) || objectElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("watch event without an object");
        }

        if (type == WatchEventType.Error)
        {
            return new(type, null, null, objectElement.Deserialize(KubernetesJsonContext.Default.V1Status));
        }

        string? resourceVersion = null;
        if (objectElement.TryGetProperty("metadata", out var metadata) &&
            metadata.ValueKind == JsonValueKind.Object &&
            metadata.TryGetProperty("resourceVersion", out var version))
        {
            resourceVersion = version.GetString();
        }

        return new(type, objectElement.Deserialize(typeInfo), resourceVersion, null);
    }
}
