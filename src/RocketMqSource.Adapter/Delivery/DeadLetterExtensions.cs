namespace RocketMqSource.Adapter.Delivery;

/// <summary>Knative's error extensions on the copy of an event sent to the dead-letter sink.</summary>
internal static class DeadLetterExtensions
{
    public const string Destination = "knativeerrordest";
    public const string Code = "knativeerrorcode";
    public const string Data = "knativeerrordata";

    /// <summary>Knative keeps at most this many bytes of the failed response body.</summary>
    public const int MaxDataBytes = 1024;

    public static IReadOnlyDictionary<string, string> For(Uri sink, AttemptResult lastAttempt)
    {
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal) { [Destination] = sink.AbsoluteUri };
        if (lastAttempt.StatusCode is { } code)
        {
            extensions[Code] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (!lastAttempt.Body.IsEmpty)
        {
            var body = lastAttempt.Body.Length > MaxDataBytes ? lastAttempt.Body[..MaxDataBytes] : lastAttempt.Body;
            extensions[Data] = Convert.ToBase64String(body.Span);
        }

        return extensions;
    }
}
