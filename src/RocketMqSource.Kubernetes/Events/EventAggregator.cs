using k8s.Models;

namespace RocketMqSource.Kubernetes.Events;

/// <summary>What to write for an event occurrence.</summary>
internal readonly record struct EventOccurrence(bool IsNew, string Name, string Namespace, int Count);

/// <summary>
/// Folds repeats of the same event (same object, type, reason, action and note) seen within
/// a window into one Event whose series.count grows, instead of one Event per repeat.
/// Pure: callers pass the clock reading.
/// </summary>
internal sealed class EventAggregator(TimeSpan window, int capacity = 4096)
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public EventOccurrence Observe(V1ObjectReference regarding, string type, string reason, string action, string note, DateTimeOffset now)
    {
        var key = string.Join('\u001f', regarding.NamespaceProperty, regarding.Kind, regarding.Name, regarding.Uid, type, reason, action, note);
        lock (gate)
        {
            if (entries.TryGetValue(key, out var entry) && now - entry.LastSeen < window)
            {
                entry.Count++;
                entry.LastSeen = now;
                return new(false, entry.Name, entry.Namespace, entry.Count);
            }

            if (entries.Count >= capacity)
            {
                entries.Remove(entries.MinBy(pair => pair.Value.LastSeen).Key);
            }

            var name = $"{regarding.Name}.{now.ToUnixTimeMilliseconds() * 1_000_000 + Random.Shared.Next(1_000_000):x}";
            var ns = string.IsNullOrEmpty(regarding.NamespaceProperty) ? "default" : regarding.NamespaceProperty;
            entries[key] = new Entry { Name = name, Namespace = ns, Count = 1, LastSeen = now };
            return new(true, name, ns, 1);
        }
    }

    private sealed class Entry
    {
        public required string Name { get; init; }

        public required string Namespace { get; init; }

        public int Count { get; set; }

        public DateTimeOffset LastSeen { get; set; }
    }
}
