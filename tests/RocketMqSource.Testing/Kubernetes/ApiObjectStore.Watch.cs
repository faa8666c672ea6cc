using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>One open watch: the events for it, as JSON lines, in order.</summary>
public sealed class ApiWatch
{
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    internal ApiWatch(string resourceKey, string? ns, LabelSelector labels, FieldSelector fields, bool bookmarks)
    {
        ResourceKey = resourceKey;
        Namespace = ns;
        Labels = labels;
        Fields = fields;
        Bookmarks = bookmarks;
    }

    public ChannelReader<string> Lines => lines.Reader;

    internal string ResourceKey { get; }

    internal string? Namespace { get; }

    internal LabelSelector Labels { get; }

    internal FieldSelector Fields { get; }

    internal bool Bookmarks { get; }

    internal bool Selects(JsonObject? obj) =>
        obj is not null &&
        (Namespace is null || ObjectRules.Text(obj["metadata"]?["namespace"]) == Namespace) &&
        Labels.Matches(obj) && Fields.Matches(obj);

    internal void Send(string type, JsonObject obj) =>
        lines.Writer.TryWrite(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString());

    internal void Complete() => lines.Writer.TryComplete();
}

public sealed partial class ApiObjectStore
{
    private readonly List<HistoryEntry> history = [];
    private readonly List<ApiWatch> watches = [];
    private long compactedRevision = 1;
    private int historyLimit = 10_000;

    /// <summary>How many changes watches can replay; older resourceVersions get 410 Expired.</summary>
    public int HistoryLimit
    {
        get => historyLimit;
        set
        {
            lock (gate)
            {
                historyLimit = value;
                Trim();
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (gate)
            {
                return watches.Count;
            }
        }
    }

    /// <summary>
    /// Opens a watch. No version (or "0"): the current objects arrive as ADDED first. A version:
    /// the changes after it are replayed, or one ERROR 410 Expired when history no longer reaches back.
    /// </summary>
    public ApiWatch Watch(ApiPath path, LabelSelector labels, FieldSelector fields, string? resourceVersion, bool bookmarks)
    {
        var watch = new ApiWatch(path.ResourceKey, path.Namespace, labels, fields, bookmarks);
        lock (gate)
        {
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var obj in Objects(path.ResourceKey).Values.Where(watch.Selects))
                {
                    watch.Send("ADDED", obj);
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiError.BadRequest($"invalid resourceVersion '{resourceVersion}'");
                }

                if (from < compactedRevision)
                {
                    watch.Send("ERROR", ApiError.Expired(from, compactedRevision + 1).ToStatus());
                    watch.Complete();
                    return watch;
                }

                foreach (var entry in history.Where(e => e.Revision > from && e.ResourceKey == path.ResourceKey))
                {
                    Deliver(watch, entry);
                }
            }

            watches.Add(watch);
        }

        return watch;
    }

    public void Unwatch(ApiWatch watch)
    {
        lock (gate)
        {
            watches.Remove(watch);
        }

        watch.Complete();
    }

    /// <summary>Sends a BOOKMARK at the current version to every watch that allowed bookmarks.</summary>
    public void EmitBookmarks()
    {
        lock (gate)
        {
            foreach (var watch in watches.Where(w => w.Bookmarks))
            {
                var bookmark = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) } };
                if (kinds.TryGetValue(watch.ResourceKey, out var kind))
                {
                    bookmark["kind"] = kind.Kind;
                    bookmark["apiVersion"] = kind.ApiVersion;
                }

                watch.Send("BOOKMARK", bookmark);
            }
        }
    }

    /// <summary>Ends every open watch stream, as an API server restart or timeout would.</summary>
    public void CloseWatches()
    {
        lock (gate)
        {
            foreach (var watch in watches)
            {
                watch.Complete();
            }

            watches.Clear();
        }
    }

    /// <summary>Forgets all history: watching from any version before now answers 410 Expired.</summary>
    public void Compact()
    {
        lock (gate)
        {
            history.Clear();
            compactedRevision = revision;
        }
    }

    private void Record(HistoryEntry entry)
    {
        history.Add(entry);
        Trim();
        foreach (var watch in watches.Where(w => w.ResourceKey == entry.ResourceKey))
        {
            Deliver(watch, entry);
        }
    }

    private void Trim()
    {
        var excess = history.Count - historyLimit;
        if (excess > 0)
        {
            compactedRevision = history[excess - 1].Revision;
            history.RemoveRange(0, excess);
        }
    }

    // An object moving into a watch's selection is ADDED for it; moving out is DELETED.
    private static void Deliver(ApiWatch watch, HistoryEntry entry)
    {
        var now = entry.Type != "DELETED" && watch.Selects(entry.Object);
        var before = entry.Previous is not null && watch.Selects(entry.Previous);
        var type = entry.Type switch
        {
            "DELETED" when before || watch.Selects(entry.Object) => "DELETED",
            "ADDED" when now => "ADDED",
            "MODIFIED" when now && before => "MODIFIED",
            "MODIFIED" when now => "ADDED",
            "MODIFIED" when before => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            watch.Send(type, entry.Object);
        }
    }

    private sealed record HistoryEntry(long Revision, string ResourceKey, string Type, JsonObject Object, JsonObject? Previous);
}
