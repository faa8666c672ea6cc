namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// Names the extension each user property becomes: <c>rocketmqprop</c> + the key lower-cased with
/// everything but a-z and 0-9 removed (as KafkaSource does with <c>kafkaheader</c>). The prefix
/// keeps them clear of core attributes and of the adapter's own extensions. When keys sanitise to
/// the same name, the ordinally smallest key keeps it and the others get the lowest free numeric
/// suffix (2, 3, …) in ordinal order, so the mapping depends only on the set of keys.
/// </summary>
internal static class PropertyExtensionNames
{
    public const string Prefix = "rocketmqprop";

    /// <summary>Extension name per property key, for every key given.</summary>
    public static IReadOnlyDictionary<string, string> For(IEnumerable<string> keys)
    {
        var ordered = keys.Order(StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var clashing = new List<string>();
        foreach (var key in ordered)
        {
            var name = Prefix + Sanitize(key);
            if (taken.Add(name))
            {
                names[key] = name;
            }
            else
            {
                clashing.Add(key);
            }
        }

        foreach (var key in clashing)
        {
            var stem = Prefix + Sanitize(key);
            var suffix = 2;
            while (!taken.Add(stem + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                suffix++;
            }

            names[key] = stem + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return names;
    }

    /// <summary>True when <see cref="Sanitize"/> would turn <paramref name="key"/> into <paramref name="stem"/> (a lower-case a-z0-9 name), without building it.</summary>
    public static bool SanitizesTo(string key, string stem)
    {
        var matched = 0;
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                continue;
            }

            if (matched == stem.Length || char.ToLowerInvariant(c) != stem[matched])
            {
                return false;
            }

            matched++;
        }

        return matched == stem.Length;
    }

    /// <summary>The key lower-cased, keeping ASCII letters and digits only.</summary>
    public static string Sanitize(string key) =>
        string.Create(key.Count(char.IsAsciiLetterOrDigit), key, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    span[i++] = char.ToLowerInvariant(c);
                }
            }
        });
}
