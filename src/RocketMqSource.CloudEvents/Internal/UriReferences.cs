namespace RocketMqSource.CloudEvents.Internal;

/// <summary>RFC 3986 checks for the URI and URI-reference attribute types.</summary>
internal static class UriReferences
{
    /// <summary>Parses a URI-reference (absolute or relative). Returns null with a reason when invalid.</summary>
    public static Uri? TryParse(string text, bool requireAbsolute, out string? error)
    {
        error = null;
        if (text.Length == 0)
        {
            error = "must not be empty";
            return null;
        }

        foreach (var c in text)
        {
            // RFC 3986 allows only these printable ASCII characters (IRIs are not URI-references).
            if (c <= ' ' || c >= '\u007F' || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}')
            {
                error = $"'{text}' is not an RFC 3986 URI-reference (character '{c}')";
                return null;
            }
        }

        var hasScheme = HasScheme(text);
        if (requireAbsolute && !hasScheme)
        {
            error = $"'{text}' is not an absolute URI (it has no scheme)";
            return null;
        }

        // On Unix, System.Uri treats "/path" as an absolute file URI; keep relative references relative.
        var kind = hasScheme ? UriKind.Absolute : UriKind.Relative;
        if (!Uri.TryCreate(text, kind, out var uri))
        {
            error = $"'{text}' is not a valid {(requireAbsolute ? "URI" : "URI-reference")}";
            return null;
        }

        return uri;
    }

    /// <summary>The text a Uri was created from: System.Uri.ToString() would unescape it.</summary>
    public static string Format(Uri uri) => uri.OriginalString;

    private static bool HasScheme(string text)
    {
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
        if (text.Length < 2 || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ':')
            {
                return true;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return false;
    }
}
