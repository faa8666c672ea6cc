namespace RocketMqSource.Architecture.Tests;

/// <summary>One folder's use of another, with one type reference that shows it.</summary>
internal sealed record FolderEdge(string From, string To, string Example)
{
    public override string ToString() => $"{From} -> {To} ({Example})";
}

/// <summary>
/// Which folders of one project use which (pure: the edges come from the built assembly or from a
/// test): the cycles among them and the uses that go against a stated bottom-up order.
/// </summary>
internal sealed class FolderGraph
{
    private readonly Dictionary<(string From, string To), string> edges = [];

    public FolderGraph(IEnumerable<(string From, string To, string Example)> uses)
    {
        foreach (var (from, to, example) in uses)
        {
            if (from != to)
            {
                edges.TryAdd((from, to), example);
            }
        }
    }

    public IEnumerable<string> Folders => edges.Keys.SelectMany(edge => new[] { edge.From, edge.To }).Distinct();

    public IEnumerable<FolderEdge> Edges => edges.Select(edge => new FolderEdge(edge.Key.From, edge.Key.To, edge.Value));

    /// <summary>Each set of folders that reach one another (strongly connected, two or more), sorted.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var next = edges.Keys.ToLookup(edge => edge.From, edge => edge.To);
        var cycles = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>();
        foreach (var folder in Folders.Order(StringComparer.Ordinal))
        {
            if (seen.Contains(folder))
            {
                continue;
            }

            var reach = Reach(folder, next);
            var component = reach.Where(other => Reach(other, next).Contains(folder)).Order(StringComparer.Ordinal).ToList();
            seen.UnionWith(component);
            if (component.Count > 1)
            {
                cycles.Add(component);
            }
        }

        return cycles;
    }

    /// <summary>The uses of a folder that is not below the user in <paramref name="bottomUp"/>, and of folders it does not list.</summary>
    public IReadOnlyList<FolderEdge> AgainstOrder(IReadOnlyList<string> bottomUp)
    {
        var position = bottomUp.Select((folder, index) => (folder, index)).ToDictionary(entry => entry.folder, entry => entry.index);
        return [.. Edges
            .Where(edge => !position.TryGetValue(edge.From, out var from) || !position.TryGetValue(edge.To, out var to) || to > from)
            .OrderBy(edge => edge.ToString(), StringComparer.Ordinal)];
    }

    private static HashSet<string> Reach(string start, ILookup<string, string> next)
    {
        var reached = new HashSet<string> { start };
        var pending = new Stack<string>([start]);
        while (pending.TryPop(out var folder))
        {
            foreach (var target in next[folder])
            {
                if (reached.Add(target))
                {
                    pending.Push(target);
                }
            }
        }

        return reached;
    }
}
