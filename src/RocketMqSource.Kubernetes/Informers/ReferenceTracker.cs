namespace RocketMqSource.Kubernetes.Informers;

/// <summary>An object a parent depends on: its resource, namespace and name.</summary>
public sealed record TrackedObject(ResourceType Resource, string Namespace, string Name);

/// <summary>
/// Which parents (namespace/name keys) depend on which objects, so a change to one object
/// re-reconciles exactly the parents that reference it, as knative/pkg tracker does. Each
/// reconcile replaces the parent's set; a deleted parent is forgotten.
/// </summary>
public sealed class ReferenceTracker
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<TrackedObject>> bySource = new(StringComparer.Ordinal);
    private readonly Dictionary<TrackedObject, HashSet<string>> byObject = [];

    public void Track(string sourceKey, IEnumerable<TrackedObject> objects)
    {
        var fresh = objects.ToHashSet();
        lock (gate)
        {
            Forget(sourceKey, locked: true);
            bySource[sourceKey] = fresh;
            foreach (var tracked in fresh)
            {
                if (!byObject.TryGetValue(tracked, out var sources))
                {
                    byObject[tracked] = sources = new HashSet<string>(StringComparer.Ordinal);
                }

                sources.Add(sourceKey);
            }
        }
    }

    public void Forget(string sourceKey) => Forget(sourceKey, locked: false);

    /// <summary>The parents (namespace/name keys) that reference the object.</summary>
    public IReadOnlyList<string> SourcesOf(TrackedObject tracked)
    {
        lock (gate)
        {
            return byObject.TryGetValue(tracked, out var sources) ? [.. sources] : [];
        }
    }

    private void Forget(string sourceKey, bool locked)
    {
        if (!locked)
        {
            lock (gate)
            {
                Forget(sourceKey, locked: true);
            }

            return;
        }

        if (!bySource.Remove(sourceKey, out var previous))
        {
            return;
        }

        foreach (var tracked in previous)
        {
            if (byObject.TryGetValue(tracked, out var sources) && sources.Remove(sourceKey) && sources.Count == 0)
            {
                byObject.Remove(tracked);
            }
        }
    }
}
