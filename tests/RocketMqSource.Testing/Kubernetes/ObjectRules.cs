using System.Globalization;
using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>API-server rules for writes, as pure functions on JSON objects.</summary>
internal static class ObjectRules
{
    private static readonly string[] ServerOwnedMetadata = ["uid", "creationTimestamp", "deletionTimestamp", "generation"];

    private static readonly Dictionary<string, string> BuiltInKinds = new(StringComparer.Ordinal)
    {
        ["/configmaps"] = "ConfigMap", ["/secrets"] = "Secret", ["/services"] = "Service", ["/pods"] = "Pod", ["/namespaces"] = "Namespace",
        ["apps/deployments"] = "Deployment", ["coordination.k8s.io/leases"] = "Lease", ["events.k8s.io/events"] = "Event",
    };

    /// <summary>The kind of a built-in resource ("group/plural"), or null for one the double does not know.</summary>
    public static string? BuiltInKind(string resourceKey) => BuiltInKinds.GetValueOrDefault(resourceKey);

    public static JsonObject Metadata(JsonObject obj) =>
        obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>True when anything outside metadata and status differs: that bumps generation.</summary>
    public static bool SpecChanged(JsonObject before, JsonObject after) =>
        !JsonNode.DeepEquals(WithoutMetadataAndStatus(before), WithoutMetadataAndStatus(after));

    /// <summary>The object a main-endpoint update stores: server-owned metadata kept, status kept if it is a subresource.</summary>
    public static JsonObject MergeMainUpdate(JsonObject current, JsonObject body, bool statusIsSubresource)
    {
        var next = (JsonObject)body.DeepClone();
        var meta = Metadata(next);
        var currentMeta = Metadata(current);
        foreach (var field in ServerOwnedMetadata)
        {
            meta.Remove(field);
            if (currentMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
        }

        if (statusIsSubresource)
        {
            next.Remove("status");
            if (current["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
        }

        if (SpecChanged(current, next))
        {
            meta["generation"] = (long)(currentMeta["generation"]?.GetValue<long>() ?? 0) + 1;
        }

        return next;
    }

    /// <summary>The object a status update stores: everything from the current object except status.</summary>
    public static JsonObject MergeStatusUpdate(JsonObject current, JsonObject body)
    {
        var next = (JsonObject)current.DeepClone();
        next.Remove("status");
        if (body["status"] is { } status)
        {
            next["status"] = status.DeepClone();
        }

        return next;
    }

    /// <summary>Equal apart from resourceVersion: the write is a no-op and keeps the version.</summary>
    public static bool SameContent(JsonObject a, JsonObject b)
    {
        var left = (JsonObject)a.DeepClone();
        var right = (JsonObject)b.DeepClone();
        Metadata(left).Remove("resourceVersion");
        Metadata(right).Remove("resourceVersion");
        return JsonNode.DeepEquals(left, right);
    }

    public static bool HasFinalizers(JsonObject obj) => Metadata(obj)["finalizers"] is JsonArray { Count: > 0 };

    public static bool OwnedBy(JsonObject obj, string ownerUid) =>
        Metadata(obj)["ownerReferences"] is JsonArray references &&
        references.Any(reference => Text(reference?["uid"]) == ownerUid);

    public static void RemoveOwner(JsonObject obj, string ownerUid)
    {
        if (Metadata(obj)["ownerReferences"] is JsonArray references)
        {
            foreach (var reference in references.Where(r => Text(r?["uid"]) == ownerUid).ToList())
            {
                references.Remove(reference);
            }
        }
    }

    private static JsonObject WithoutMetadataAndStatus(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }
}
