using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>An object a source depends on: its resource, namespace and name.</summary>
internal sealed record TrackedObject(ResourceType Resource, string Namespace, string Name);

/// <summary>
/// Which sources depend on which objects (sinks, dead-letter sinks, Secrets), so a change to
/// one re-reconciles exactly the sources that reference it. Each reconcile replaces the
/// source's set; a deleted source is forgotten.
/// </summary>
internal sealed class ReferenceTracker
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<TrackedObject>> bySource = new(StringComparer.Ordinal);
    private readonly Dictionary<TrackedObject, HashSet<string>> byObject = [];
    private readonly HashSet<ResourceType> seenResources = [];

    /// <summary>A resource type was referenced for the first time (the controller starts watching it).</summary>
    public event Action<ResourceType>? NewResource;

    public void Track(string sourceKey, IEnumerable<TrackedObject> objects)
    {
        var fresh = objects.ToHashSet();
        var newResources = new List<ResourceType>();
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
                if (seenResources.Add(tracked.Resource))
                {
                    newResources.Add(tracked.Resource);
                }
            }
        }

        foreach (var resource in newResources)
        {
            NewResource?.Invoke(resource);
        }
    }

    public void Forget(string sourceKey) => Forget(sourceKey, locked: false);

    /// <summary>The sources (namespace/name keys) that reference the object.</summary>
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
