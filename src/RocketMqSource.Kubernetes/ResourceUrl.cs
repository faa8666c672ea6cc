using System.Globalization;
using System.Text;

namespace RocketMqSource.Kubernetes;

/// <summary>Builds API paths and query strings for a resource (pure, no I/O).</summary>
internal static class ResourceUrl
{
    /// <summary>
    /// The path of a collection (name null) or an object, optionally of a subresource.
    /// A namespaced type with a null namespace addresses all namespaces (list/watch only).
    /// </summary>
    public static string Path(ResourceType type, string? @namespace, string? name = null, string? subresource = null)
    {
        if (name is null && subresource is not null)
        {
            throw new ArgumentException("a subresource needs an object name", nameof(subresource));
        }

        if (type.Namespaced && @namespace is null && name is not null)
        {
            throw new ArgumentException($"{type.Plural} is namespaced: give a namespace", nameof(@namespace));
        }

        var path = new StringBuilder(type.ApiPrefix);
        if (type.Namespaced && @namespace is not null)
        {
            path.Append("/namespaces/").Append(Segment(@namespace));
        }

        path.Append('/').Append(Segment(type.Plural));
        if (name is not null)
        {
            path.Append('/').Append(Segment(name));
        }

        if (subresource is not null)
        {
            path.Append('/').Append(Segment(subresource));
        }

        return path.ToString();
    }

    /// <summary>Appends the non-null parameters as an encoded query string.</summary>
    public static string WithQuery(string path, params (string Key, object? Value)[] parameters)
    {
        var query = new StringBuilder();
        foreach (var (key, value) in parameters)
        {
            var text = value switch
            {
                null => null,
                bool flag => flag ? "true" : "false",
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            query.Append(query.Length == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(text));
        }

        return path + query;
    }

    private static string Segment(string value)
    {
        if (value.Length == 0 || value is "." or "..")
        {
            throw new ArgumentException($"invalid path segment '{value}'");
        }

        return Uri.EscapeDataString(value);
    }
}
