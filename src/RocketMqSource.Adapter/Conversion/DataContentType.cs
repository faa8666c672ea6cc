using System.Text.Json;
using System.Text.Unicode;
using CloudNative.CloudEvents;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// Chooses a plain message's datacontenttype: the content-type user property when it holds a valid
/// media type other than a CloudEvents format; else application/json when the body is one JSON
/// value; else application/octet-stream. A CloudEvents format (application/cloudevents…) as the
/// Content-Type of a binary-mode request would make every receiver read the request as a
/// structured event or a batch (HTTP binding §3.1), so a plain message cannot declare it.
/// The property is any key that reads "contenttype" once lower-cased without separators
/// (<c>contentType</c>, <c>content-type</c>, <c>CONTENT_TYPE</c>, …); with several, the ordinally first.
/// </summary>
internal static class DataContentType
{
    public const string Json = "application/json";
    public const string OctetStream = "application/octet-stream";
    private const string PropertyStem = "contenttype";
    private const int MaxJsonDepth = 512;

    public static string For(IReadOnlyDictionary<string, string> properties, ReadOnlySpan<byte> body)
    {
        if (FromProperty(properties) is { } declared)
        {
            return declared;
        }

        return IsJson(body) ? Json : OctetStream;
    }

    /// <summary>The declared content type, or null when absent or not a media type.</summary>
    public static string? FromProperty(IReadOnlyDictionary<string, string> properties)
    {
        if (properties.Count == 0)
        {
            return null;
        }

        string? key = null;
        foreach (var candidate in properties.Keys)
        {
            if (PropertyExtensionNames.SanitizesTo(candidate, PropertyStem) && !candidate.StartsWith("CE_", StringComparison.Ordinal)
                && (key is null || string.CompareOrdinal(candidate, key) < 0))
            {
                key = candidate;
            }
        }

        if (key is null)
        {
            return null;
        }

        var value = properties[key].Trim();
        return IsMediaType(value) && !value.StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase) ? value : null;
    }

    /// <summary>True when the bytes are exactly one JSON value (whitespace around it allowed), read without building a DOM.</summary>
    public static bool IsJson(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
        try
        {
            while (reader.Read())
            {
                // The reader alone checks only the structure; a string's UTF-8 is checked here, in place
                // (GetString would build every string of the body).
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                    && (reader.ValueIsEscaped ? reader.GetString() is null : !Utf8.IsValid(reader.ValueSpan)))
                {
                    return false;
                }
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsMediaType(string value)
    {
        try
        {
            // The SDK's own datacontenttype rule (RFC 2046, via System.Net.Mime); reuse it rather than restate it.
            CloudEventsSpecVersion.Default.DataContentTypeAttribute.Validate(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
