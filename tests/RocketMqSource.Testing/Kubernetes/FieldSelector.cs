using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>The field selectors every resource supports: metadata.name and metadata.namespace (= / == / !=).</summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        foreach (var clause in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var notEqual = clause.IndexOf("!=", StringComparison.Ordinal);
            var (field, value, equal) = notEqual > 0
                ? (clause[..notEqual], clause[(notEqual + 2)..], false)
                : clause.Split('=', 2) is [var f, var v] ? (f, v.TrimStart('='), true) : throw ApiError.BadRequest($"invalid field selector '{clause}'");
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiError.BadRequest($"field label not supported: {field}");
            }

            selector.terms.Add((field, value, equal));
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, value, equal) in terms)
        {
            var actual = ObjectRules.Text(obj["metadata"]?[field["metadata.".Length..]]) ?? "";
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
