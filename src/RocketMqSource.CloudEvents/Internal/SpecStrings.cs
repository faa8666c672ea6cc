namespace RocketMqSource.CloudEvents.Internal;

/// <summary>Character rules of the CloudEvents type system and attribute naming.</summary>
internal static class SpecStrings
{
    /// <summary>Attribute names longer than this break the spec's SHOULD, not its MUST: accepted.</summary>
    public const int RecommendedMaxNameLength = 20;

    /// <summary>Lower-case ASCII letters and digits only, at least one (spec "Attribute Naming Convention").</summary>
    public static bool IsValidAttributeName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Returns why a String value is not allowed, or null. The spec forbids control characters
    /// (U+0000-U+001F, U+007F-U+009F), unpaired surrogates and Unicode noncharacters.
    /// </summary>
    public static string? FindInvalidCharacter(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c <= '\u001F' || (c >= '\u007F' && c <= '\u009F'))
            {
                return $"control character U+{(int)c:X4} at index {i} is not allowed";
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return $"unpaired surrogate at index {i}";
                }

                var codePoint = char.ConvertToUtf32(c, value[i + 1]);
                if ((codePoint & 0xFFFE) == 0xFFFE)
                {
                    return $"noncharacter U+{codePoint:X} at index {i}";
                }

                i++;
                continue;
            }

            if (char.IsLowSurrogate(c))
            {
                return $"unpaired surrogate at index {i}";
            }

            if ((c >= '\uFDD0' && c <= '\uFDEF') || c >= '\uFFFE')
            {
                return $"noncharacter U+{(int)c:X4} at index {i}";
            }
        }

        return null;
    }
}
