using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Filters;

/// <summary>A subscription's filter, compiled once and applied to each message before delivery.</summary>
internal interface IMessageFilter
{
    bool Matches(string? tag, IReadOnlyDictionary<string, string> userProperties);
}

/// <summary>Raised for an expression the proxy would refuse with ILLEGAL_FILTER_EXPRESSION.</summary>
internal sealed class FilterExpressionException(string message) : Exception(message);

internal static class MessageFilter
{
    /// <summary>Compiles a wire filter; a missing filter or unspecified type means TAG.</summary>
    public static IMessageFilter Compile(FilterExpression? expression)
    {
        if (expression is null)
        {
            return TagFilter.All;
        }

        return expression.Type switch
        {
            FilterType.Sql => Sql92Filter.Parse(expression.Expression),
            FilterType.Tag or FilterType.Unspecified => TagFilter.Parse(expression.Expression),
            _ => throw new FilterExpressionException($"unknown filter type {expression.Type}"),
        };
    }
}

/// <summary>
/// TAG filter: empty or "*" matches everything; otherwise tags separated by "||", trimmed,
/// compared exactly (case-sensitive). An untagged message matches only "*".
/// </summary>
internal sealed class TagFilter : IMessageFilter
{
    public static readonly TagFilter All = new(null);

    private readonly HashSet<string>? _tags;

    private TagFilter(HashSet<string>? tags) => _tags = tags;

    public static TagFilter Parse(string? expression)
    {
        var trimmed = expression?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed == "*")
        {
            return All;
        }

        var tags = trimmed.Split("||")
            .Select(tag => tag.Trim())
            .Where(tag => tag.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
        return tags.Count == 0 ? All : new TagFilter(tags);
    }

    public bool Matches(string? tag, IReadOnlyDictionary<string, string> userProperties) =>
        _tags is null || (tag is not null && _tags.Contains(tag));
}

/// <summary>SQL92 filter over user properties and TAGS (RocketMQ's subset).</summary>
internal sealed class Sql92Filter : IMessageFilter
{
    private readonly SqlNode _root;

    private Sql92Filter(SqlNode root) => _root = root;

    public static Sql92Filter Parse(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            throw new FilterExpressionException("SQL92 filter expression is empty");
        }

        return new Sql92Filter(new Sql92Parser(expression).ParseExpression());
    }

    public bool Matches(string? tag, IReadOnlyDictionary<string, string> userProperties) =>
        _root.Evaluate(new SqlContext(tag, userProperties)) is true;
}
