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

        // The response body; without a response, the error in words (no answer, timeout), so the data always says why.
        var body = lastAttempt.Body.IsEmpty && lastAttempt.Error is { } error ? System.Text.Encoding.UTF8.GetBytes(error) : lastAttempt.Body;
        if (!body.IsEmpty)
        {
            extensions[Data] = Convert.ToBase64String((body.Length > MaxDataBytes ? body[..MaxDataBytes] : body).Span);
        }

        return extensions;
    }
}
