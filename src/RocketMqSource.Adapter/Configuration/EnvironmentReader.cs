using System.Globalization;
using RocketMqSource.Contract;

namespace RocketMqSource.Adapter.Configuration;

/// <summary>Typed, validating reads of environment variables; every failure names its variable.</summary>
internal sealed class EnvironmentReader(IReadOnlyDictionary<string, string?> variables)
{
    /// <summary>The trimmed value, or null when the variable is unset or blank (Kubernetes sets empty values).</summary>
    public string? Optional(string name) =>
        variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public string Required(string name) => Optional(name) ?? throw new ConfigurationException(name, "is required");

    public int Integer(string name, IntRange range) => Integer(name, range.Default, range.Min, range.Max);

    public int Integer(string name, int fallback, int min, int max)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new ConfigurationException(name, $"must be a whole number, got '{text}'");
        }

        if (value < min || value > max)
        {
            throw new ConfigurationException(name, $"must be between {min} and {max}, got {value}");
        }

        return value;
    }

    /// <summary>A Go (30s, 1m30s, 500ms) or ISO-8601 (PT30S) duration within the range.</summary>
    public TimeSpan Duration(string name, DurationRange range)
    {
        var text = Optional(name);
        if (text is null)
        {
            return range.Default;
        }

        if (!Durations.TryParse(text, out var value))
        {
            throw new ConfigurationException(name, $"must be a duration such as 30s, 1m30s, 500ms or PT30S, got '{text}'");
        }

        if (!range.Contains(value))
        {
            throw new ConfigurationException(name, $"must be {range}, got {Durations.Format(value)}");
        }

        return value;
    }

    public bool Boolean(string name, bool fallback)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        return text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new ConfigurationException(name, $"must be true or false, got '{text}'"),
        };
    }

    /// <summary>An absolute http or https URI.</summary>
    public Uri? HttpUri(string name)
    {
        var text = Optional(name);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ConfigurationException(name, $"must be an absolute http or https URI, got '{text}'");
        }

        return uri;
    }

    /// <summary>One of the allowed words, in any case; returned as the list spells it.</summary>
    public string Choice(string name, string fallback, IReadOnlyList<string> allowed)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        return allowed.FirstOrDefault(word => string.Equals(word, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new ConfigurationException(name, $"must be one of {string.Join(", ", allowed)}, got '{text}'");
    }
}
