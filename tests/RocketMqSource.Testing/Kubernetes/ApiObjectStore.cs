using System.Globalization;
using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>
/// The double's state: objects of every resource, one global resourceVersion counter, the
/// change history watches replay from, and the open watches. Thread-safe; every write
/// happens under one lock so versions, history and watch delivery stay in order.
/// </summary>
public sealed partial class ApiObjectStore(Func<string, bool> hasStatusSubresource, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Dictionary<string, JsonObject>> resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Kind, string ApiVersion)> kinds = new(StringComparer.Ordinal);
    private long revision = 1;

    public long Revision
    {
        get
        {
            lock (gate)
            {
                return revision;
            }
        }
    }

    public JsonObject Get(ApiPath path)
    {
        lock (gate)
        {
            return (JsonObject)Find(path).DeepClone();
        }
    }

    public (IReadOnlyList<JsonObject> Items, long Revision) List(ApiPath path, LabelSelector labels, FieldSelector fields)
    {
        lock (gate)
        {
            var items = Objects(path.ResourceKey).Values
                .Where(obj => path.Namespace is null || Namespace(obj) == path.Namespace)
                .Where(obj => labels.Matches(obj) && fields.Matches(obj))
                .OrderBy(obj => Namespace(obj), StringComparer.Ordinal).ThenBy(Name, StringComparer.Ordinal)
                .Select(obj => (JsonObject)obj.DeepClone())
                .ToList();
            return (items, revision);
        }
    }

    /// <summary>The kind of a resource's objects, as last written (for list kinds and bookmarks).</summary>
    public (string Kind, string ApiVersion)? KindOf(string resourceKey)
    {
        lock (gate)
        {
            return kinds.TryGetValue(resourceKey, out var kind) ? kind : null;
        }
    }

    public JsonObject Create(ApiPath path, JsonObject body)
    {
        var obj = (JsonObject)body.DeepClone();
        var meta = ObjectRules.Metadata(obj);
        var bodyNamespace = ObjectRules.Text(meta["namespace"]);
        if (path.Namespace is not null && bodyNamespace is { Length: > 0 } && bodyNamespace != path.Namespace)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        lock (gate)
        {
            var name = ObjectRules.Text(meta["name"]);
            if (string.IsNullOrEmpty(name) && ObjectRules.Text(meta["generateName"]) is { Length: > 0 } prefix)
            {
                name = prefix + Guid.NewGuid().ToString("N")[..5];
            }

            if (string.IsNullOrEmpty(name))
            {
                throw ApiError.Invalid("metadata.name: Required value: name or generateName is required");
            }

            var store = Objects(path.ResourceKey);
            var key = Key(path.Namespace, name);
            if (store.ContainsKey(key))
            {
                throw ApiError.AlreadyExists(path, name);
            }

            meta["name"] = name;
            if (path.Namespace is null)
            {
                meta.Remove("namespace");
            }
            else
            {
                meta["namespace"] = path.Namespace;
            }

            StampTypeMeta(path, obj);
            meta["uid"] = Guid.NewGuid().ToString();
            meta["generation"] = 1L;
            meta["creationTimestamp"] = ObjectRules.Timestamp(time.GetUtcNow());
            meta.Remove("deletionTimestamp");
            if (hasStatusSubresource(path.ResourceKey))
            {
                obj.Remove("status");
            }

            Remember(path, obj);
            Commit(path.ResourceKey, key, "ADDED", obj, null);
            return (JsonObject)obj.DeepClone();
        }
    }

    /// <summary>PUT of the object or (path.Subresource == "status") of its status.</summary>
    public JsonObject Replace(ApiPath path, JsonObject body)
    {
        lock (gate)
        {
            return ReplaceLocked(path, body);
        }
    }

    public JsonObject Patch(ApiPath path, string contentType, JsonNode patch)
    {
        lock (gate)
        {
            var current = Find(path);
            JsonNode? patched;
            try
            {
                patched = contentType switch
                {
                    "application/merge-patch+json" => JsonPatches.Merge(current, patch),
                    "application/json-patch+json" when patch is JsonArray operations => JsonPatches.Apply(current, operations),
                    _ => throw new ApiError(415, "UnsupportedMediaType", $"the double does not support patch type {contentType}"),
                };
            }
            catch (JsonPatchException e)
            {
                throw ApiError.Invalid(e.Message);
            }

            if (patched is not JsonObject next)
            {
                throw ApiError.BadRequest("the patch did not produce an object");
            }

            return ReplaceLocked(path, next);
        }
    }

    /// <summary>Deletes (or, with finalizers, marks for deletion) and garbage-collects dependents.</summary>
    public JsonObject Delete(ApiPath path, string? propagationPolicy, string? preconditionResourceVersion)
    {
        lock (gate)
        {
            var current = Find(path);
            var meta = ObjectRules.Metadata(current);
            if (preconditionResourceVersion is { Length: > 0 } expected && ObjectRules.Text(meta["resourceVersion"]) != expected)
            {
                throw ApiError.Conflict(path, path.Name!);
            }

            if (ObjectRules.HasFinalizers(current))
            {
                if (meta["deletionTimestamp"] is null)
                {
                    var marked = (JsonObject)current.DeepClone();
                    ObjectRules.Metadata(marked)["deletionTimestamp"] = ObjectRules.Timestamp(time.GetUtcNow());
                    Commit(path.ResourceKey, Key(path.Namespace, path.Name!), "MODIFIED", marked, current);
                    return (JsonObject)marked.DeepClone();
                }

                return (JsonObject)current.DeepClone();
            }

            RemoveLocked(path.ResourceKey, Key(path.Namespace, path.Name!), current, propagationPolicy);
            var status = ApiError.StatusBody(200, "", "", path.Name, path.Plural);
            status.Remove("reason");
            status.Remove("message");
            ((JsonObject)status["details"]!)["uid"] = ObjectRules.Text(meta["uid"]);
            return status;
        }
    }

    private JsonObject ReplaceLocked(ApiPath path, JsonObject body)
    {
        var current = Find(path);
        var meta = ObjectRules.Metadata(body);
        if (ObjectRules.Text(meta["name"]) is { } bodyName && bodyName != path.Name)
        {
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({path.Name})");
        }

        var expected = ObjectRules.Text(meta["resourceVersion"]);
        var actual = ObjectRules.Text(ObjectRules.Metadata(current)["resourceVersion"]);
        if (!string.IsNullOrEmpty(expected) && expected != actual)
        {
            throw ApiError.Conflict(path, path.Name!);
        }

        var next = path.Subresource switch
        {
            null => ObjectRules.MergeMainUpdate(current, body, hasStatusSubresource(path.ResourceKey)),
            "status" => ObjectRules.MergeStatusUpdate(current, body),
            _ => throw ApiError.NotFound(path, $"{path.Name}/{path.Subresource}"),
        };
        StampTypeMeta(path, next);
        var nextMeta = ObjectRules.Metadata(next);
        nextMeta["name"] = path.Name;
        if (path.Namespace is not null)
        {
            nextMeta["namespace"] = path.Namespace;
        }

        nextMeta["resourceVersion"] = actual;
        var key = Key(path.Namespace, path.Name!);
        if (nextMeta["deletionTimestamp"] is not null && !ObjectRules.HasFinalizers(next))
        {
            // The last finalizer is gone: the pending deletion completes now.
            RemoveLocked(path.ResourceKey, key, current, null);
            return (JsonObject)current.DeepClone();
        }

        if (ObjectRules.SameContent(current, next))
        {
            return (JsonObject)current.DeepClone();
        }

        Remember(path, next);
        Commit(path.ResourceKey, key, "MODIFIED", next, current);
        return (JsonObject)next.DeepClone();
    }

    private void RemoveLocked(string resourceKey, string key, JsonObject current, string? propagationPolicy)
    {
        Objects(resourceKey).Remove(key);
        var deleted = (JsonObject)current.DeepClone();
        Commit(resourceKey, key, "DELETED", deleted, current, store: false);
        var uid = ObjectRules.Text(ObjectRules.Metadata(current)["uid"]);
        if (uid is null)
        {
            return;
        }

        // Garbage collection: dependents go too, unless the caller asked to orphan them.
        foreach (var (dependentResource, objects) in resources.ToList())
        {
            foreach (var (dependentKey, dependent) in objects.Where(pair => ObjectRules.OwnedBy(pair.Value, uid)).ToList())
            {
                if (propagationPolicy == "Orphan")
                {
                    var orphan = (JsonObject)dependent.DeepClone();
                    ObjectRules.RemoveOwner(orphan, uid);
                    Commit(dependentResource, dependentKey, "MODIFIED", orphan, dependent);
                }
                else
                {
                    RemoveLocked(dependentResource, dependentKey, dependent, propagationPolicy);
                }
            }
        }
    }

    /// <summary>Stamps the next resourceVersion, stores (unless deleting), records history and notifies watches.</summary>
    private void Commit(string resourceKey, string key, string type, JsonObject obj, JsonObject? previous, bool store = true)
    {
        revision++;
        ObjectRules.Metadata(obj)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        if (store)
        {
            Objects(resourceKey)[key] = obj;
        }

        Record(new HistoryEntry(revision, resourceKey, type, (JsonObject)obj.DeepClone(), (JsonObject?)previous?.DeepClone()));
    }

    /// <summary>
    /// A body without apiVersion or kind is decoded with the endpoint's own, as the API server's
    /// handlers do (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go and update.go
    /// decode into the scope's kind), so what is stored and returned always names both.
    /// </summary>
    private void StampTypeMeta(ApiPath path, JsonObject obj)
    {
        if (ObjectRules.Text(obj["apiVersion"]) is not { Length: > 0 })
        {
            obj["apiVersion"] = path.ApiVersion;
        }

        if (ObjectRules.Text(obj["kind"]) is not { Length: > 0 }
            && (kinds.TryGetValue(path.ResourceKey, out var known) ? known.Kind : ObjectRules.BuiltInKind(path.ResourceKey)) is { } kind)
        {
            obj["kind"] = kind;
        }
    }

    private void Remember(ApiPath path, JsonObject obj)
    {
        if (ObjectRules.Text(obj["kind"]) is { Length: > 0 } kind)
        {
            kinds[path.ResourceKey] = (kind, ObjectRules.Text(obj["apiVersion"]) ?? path.ApiVersion);
        }
    }

    private JsonObject Find(ApiPath path)
    {
        if (path.Name is null)
        {
            throw ApiError.BadRequest("a name is required");
        }

        return Objects(path.ResourceKey).TryGetValue(Key(path.Namespace, path.Name), out var obj)
            ? obj
            : throw ApiError.NotFound(path, path.Name);
    }

    private Dictionary<string, JsonObject> Objects(string resourceKey)
    {
        if (!resources.TryGetValue(resourceKey, out var store))
        {
            store = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            resources[resourceKey] = store;
        }

        return store;
    }

    private static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    private static string? Namespace(JsonObject obj) => ObjectRules.Text(obj["metadata"]?["namespace"]);

    private static string? Name(JsonObject obj) => ObjectRules.Text(obj["metadata"]?["name"]);
}
