using System.Text;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// Makes any text a valid CloudEvents String: control characters (U+0000-U+001F, U+007F-U+009F),
/// unpaired surrogates and noncharacters become U+FFFD, so a message with odd property values still
/// converts (visibly marked) instead of failing.
/// </summary>
internal static class AttributeText
{
    public const char Replacement = '\uFFFD';

    public static string Sanitize(string value)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var width = ValidWidthAt(value, i);
            if (width == 2)
            {
                builder?.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }

            if (width == 1)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(value.Length).Append(value, 0, i);
            builder.Append(Replacement);
        }

        return builder?.ToString() ?? value;
    }

    /// <summary>1 or 2 (a surrogate pair) when the character at <paramref name="i"/> is allowed, else 0.</summary>
    private static int ValidWidthAt(string value, int i)
    {
        var c = value[i];
        if (c <= '\u001F' || (c >= '\u007F' && c <= '\u009F') || (c >= '\uFDD0' && c <= '\uFDEF') || c >= '\uFFFE')
        {
            return 0;
        }

        if (char.IsLowSurrogate(c))
        {
            return 0;
        }

        if (!char.IsHighSurrogate(c))
        {
            return 1;
        }

        if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
        {
            return 0;
        }

        var codePoint = char.ConvertToUtf32(c, value[i + 1]);
        return (codePoint & 0xFFFE) == 0xFFFE ? 0 : 2;
    }
}
