using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>
/// Kubernetes label selector syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>,
/// <c>a notin (x)</c>, <c>a</c> (exists), <c>!a</c> (does not exist), comma-separated (AND).
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> requirements = [];

    private LabelSelector()
    {
    }

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var clause in SplitClauses(text))
        {
            selector.requirements.Add(ParseClause(clause.Trim()));
        }

        return selector;
    }

    public bool Matches(JsonNode? obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj?["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value?.GetValue<string>() ?? "";
            }
        }

        return requirements.All(requirement => requirement(labels));
    }

    // Commas inside "in (a,b)" do not separate clauses.
    private static IEnumerable<string> SplitClauses(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseClause(string clause)
    {
        if (clause.StartsWith('!'))
        {
            var key = clause[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }

        foreach (var op in new[] { " notin ", " in " })
        {
            var at = clause.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = clause[..at].Trim();
                var set = clause[(at + op.Length)..].Trim().TrimStart('(').TrimEnd(')')
                    .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
                return op == " in "
                    ? labels => labels.TryGetValue(key, out var v) && set.Contains(v)
                    : labels => !labels.TryGetValue(key, out var v) || !set.Contains(v);
            }
        }

        var notEqual = clause.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            var key = clause[..notEqual].Trim();
            var value = clause[(notEqual + 2)..].Trim();
            return labels => !labels.TryGetValue(key, out var v) || v != value;
        }

        var equal = clause.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0)
        {
            var key = clause[..equal].Trim();
            var value = clause[(equal + 1)..].TrimStart('=').Trim();
            return labels => labels.TryGetValue(key, out var v) && v == value;
        }

        var exists = clause.Trim();
        if (exists.Length == 0 || exists.Contains(' ', StringComparison.Ordinal))
        {
            throw new FormatException($"invalid label selector clause '{clause}'");
        }

        return labels => labels.ContainsKey(exists);
    }
}
