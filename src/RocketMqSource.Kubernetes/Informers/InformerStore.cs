using k8s;
using k8s.Models;

namespace RocketMqSource.Kubernetes.Informers;

internal enum StoreChangeKind
{
    Added,
    Updated,
    Deleted,
}

/// <summary>One change to the local cache; <see cref="Old"/> is set for updates and deletes.</summary>
internal readonly record struct StoreChange<T>(StoreChangeKind Kind, T? Old, T Current)
    where T : class, IKubernetesObject<V1ObjectMeta>;

/// <summary>
/// The informer's local cache keyed by namespace/name. Pure state: it returns the changes
/// each operation caused and the informer turns them into handler calls.
/// </summary>
internal sealed class InformerStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<string, T> items = new(StringComparer.Ordinal);

    public int Count => items.Count;

    public IReadOnlyList<T> List() => [.. items.Values];

    public T? Get(string key) => items.GetValueOrDefault(key);

    /// <summary>Replaces everything with a fresh list; reports what appeared, changed and vanished.</summary>
    public IReadOnlyList<StoreChange<T>> Replace(IEnumerable<T> fresh)
    {
        var changes = new List<StoreChange<T>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in fresh)
        {
            var key = Key(item);
            seen.Add(key);
            if (Upsert(key, item) is { } change)
            {
                changes.Add(change);
            }
        }

        foreach (var key in items.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            var old = items[key];
            items.Remove(key);
            changes.Add(new(StoreChangeKind.Deleted, old, old));
        }

        return changes;
    }

    /// <summary>Applies one watch event.</summary>
    public StoreChange<T>? Apply(WatchEventType type, T item)
    {
        var key = Key(item);
        if (type == WatchEventType.Deleted)
        {
            return items.Remove(key, out var old) ? new(StoreChangeKind.Deleted, old, item) : null;
        }

        return Upsert(key, item);
    }

    private StoreChange<T>? Upsert(string key, T item)
    {
        if (!items.TryGetValue(key, out var old))
        {
            items[key] = item;
            return new(StoreChangeKind.Added, null, item);
        }

        items[key] = item;
        var unchanged = old.ResourceVersion() is { } oldVersion && oldVersion == item.ResourceVersion();
        return unchanged ? null : new(StoreChangeKind.Updated, old, item);
    }

    /// <summary>"namespace/name", or "name" for cluster-scoped objects.</summary>
    public static string Key(string? @namespace, string name) => string.IsNullOrEmpty(@namespace) ? name : $"{@namespace}/{name}";

    private static string Key(T item) =>
        Key(item.Namespace(), item.Name() ?? throw new InvalidOperationException("object has no metadata.name"));
}
