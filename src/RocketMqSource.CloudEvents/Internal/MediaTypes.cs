namespace RocketMqSource.CloudEvents.Internal;

/// <summary>Media types the bindings care about, and RFC 2046 shape checks.</summary>
internal static class MediaTypes
{
    public const string CloudEventsJson = "application/cloudevents+json; charset=utf-8";
    public const string CloudEventsBatchJson = "application/cloudevents-batch+json; charset=utf-8";
    public const string CloudEventsPrefix = "application/cloudevents";
    public const string CloudEventsBatchPrefix = "application/cloudevents-batch";
    public const string Json = "application/json";

    /// <summary>"type/subtype" with RFC 2045 token characters, parameters after ';' not inspected.</summary>
    public static string? Validate(string mediaType)
    {
        var essence = Essence(mediaType);
        var slash = essence.IndexOf('/');
        if (slash <= 0 || slash == essence.Length - 1 || !IsToken(essence[..slash]) || !IsToken(essence[(slash + 1)..]))
        {
            return $"'{mediaType}' is not an RFC 2046 media type (type/subtype)";
        }

        return null;
    }

    /// <summary>The media type without parameters and surrounding spaces.</summary>
    public static ReadOnlySpan<char> Essence(string? mediaType)
    {
        if (mediaType is null)
        {
            return [];
        }

        var span = mediaType.AsSpan();
        var semicolon = span.IndexOf(';');
        return (semicolon >= 0 ? span[..semicolon] : span).Trim();
    }

    /// <summary>application/json, text/json or any "+json" structured syntax suffix.</summary>
    public static bool IsJson(string? mediaType)
    {
        var essence = Essence(mediaType);
        return essence.Equals(Json, StringComparison.OrdinalIgnoreCase)
            || essence.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || essence.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsText(string? mediaType) =>
        Essence(mediaType).StartsWith("text/", StringComparison.OrdinalIgnoreCase);

    /// <summary>A structured-mode event: application/cloudevents (any format) but not a batch.</summary>
    public static bool IsStructuredEvent(string? mediaType) =>
        mediaType is not null
        && mediaType.AsSpan().TrimStart().StartsWith(CloudEventsPrefix, StringComparison.OrdinalIgnoreCase)
        && !IsBatch(mediaType);

    public static bool IsBatch(string? mediaType) =>
        mediaType is not null
        && mediaType.AsSpan().TrimStart().StartsWith(CloudEventsBatchPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The JSON event format; other event formats (e.g. +avro) are not supported.</summary>
    public static bool IsJsonFormat(string? mediaType) =>
        Essence(mediaType).Equals("application/cloudevents+json", StringComparison.OrdinalIgnoreCase)
        || Essence(mediaType).Equals("application/cloudevents-batch+json", StringComparison.OrdinalIgnoreCase);

    private static bool IsToken(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c <= ' ' || c >= '\u007F' || "()<>@,;:\\\"/[]?=".Contains(c))
            {
                return false;
            }
        }

        return !s.IsEmpty;
    }
}
