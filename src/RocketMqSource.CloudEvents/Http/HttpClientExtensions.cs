using System.Net.Http.Headers;
using RocketMqSource.CloudEvents.Internal;
using RocketMqSource.CloudEvents.Json;

namespace RocketMqSource.CloudEvents.Http;

/// <summary>CloudEvents over System.Net.Http: events and batches as HttpContent, and back.</summary>
public static class HttpClientExtensions
{
    /// <summary>
    /// The event as request content. Binary mode puts every attribute in a "ce-" header
    /// (percent-encoded) and datacontenttype in Content-Type; byte data is sent without copying.
    /// Structured mode writes the event with the formatter (JSON straight into a pooled buffer).
    /// </summary>
    public static HttpContent ToHttpContent(this CloudEvent cloudEvent, ContentMode contentMode, CloudEventFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        ArgumentNullException.ThrowIfNull(formatter);
        return contentMode switch
        {
            ContentMode.Binary => ToBinaryContent(cloudEvent, formatter),
            ContentMode.Structured => ToStructuredContent(cloudEvent, formatter),
            _ => throw new ArgumentOutOfRangeException(nameof(contentMode), contentMode, "unknown content mode"),
        };
    }

    /// <summary>A batch of events as request content (application/cloudevents-batch+json).</summary>
    public static HttpContent ToHttpContent(this IReadOnlyList<CloudEvent> cloudEvents, CloudEventFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(cloudEvents);
        ArgumentNullException.ThrowIfNull(formatter);
        return formatter is JsonEventFormatter
            ? WithContentType(new PooledBufferContent(JsonEventFormatter.EncodeBatchPooled(cloudEvents)), MediaTypes.CloudEventsBatchJson)
            : FromFormatter(formatter.EncodeBatchModeMessage(cloudEvents, out var contentType), contentType);
    }

    /// <summary>True when the message carries a single CloudEvent (binary or structured mode).</summary>
    public static bool IsCloudEvent(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return BinaryModeHeaders.IsCloudEvent(
            response.Content.Headers.ContentType?.ToString(),
            name => response.Headers.Contains(name) || response.Content.Headers.Contains(name));
    }

    /// <summary>Reads the CloudEvent a response carries (for example a reply event from a sink).</summary>
    public static async Task<CloudEvent> ToCloudEventAsync(
        this HttpResponseMessage response,
        CloudEventFormatter formatter,
        params CloudEventAttribute[] extensionAttributes)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(formatter);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var contentType = response.Content.Headers.ContentType?.ToString();
        if (MediaTypes.IsBatch(contentType))
        {
            throw new InvalidCloudEventException("the response carries a batch of events, not one event");
        }

        if (MediaTypes.IsStructuredEvent(contentType))
        {
            return formatter.DecodeStructuredModeMessage(body, contentType, extensionAttributes);
        }

        var headers = response.Headers.Concat(response.Content.Headers)
            .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(",", h.Value)));
        return BinaryModeHeaders.ReadEvent(headers, contentType, body, formatter, extensionAttributes);
    }

    private static HttpContent ToBinaryContent(CloudEvent cloudEvent, CloudEventFormatter formatter)
    {
        var content = new ReadOnlyMemoryContent(formatter.EncodeBinaryModeEventData(cloudEvent));
        AddHeaders(content.Headers, cloudEvent);
        return content;
    }

    private static void AddHeaders(HttpContentHeaders headers, CloudEvent cloudEvent)
    {
        foreach (var (name, value) in BinaryModeHeaders.ForEvent(cloudEvent))
        {
            headers.TryAddWithoutValidation(name, value);
        }

        if (cloudEvent.DataContentType is { } dataContentType)
        {
            headers.TryAddWithoutValidation("Content-Type", dataContentType);
        }
    }

    // Our JSON formatter writes straight into a pooled buffer; any other formatter hands back bytes.
    private static HttpContent ToStructuredContent(CloudEvent cloudEvent, CloudEventFormatter formatter) =>
        formatter is JsonEventFormatter
            ? WithContentType(new PooledBufferContent(JsonEventFormatter.EncodeStructuredPooled(cloudEvent)), MediaTypes.CloudEventsJson)
            : FromFormatter(formatter.EncodeStructuredModeMessage(cloudEvent, out var contentType), contentType);

    private static HttpContent FromFormatter(ReadOnlyMemory<byte> body, string contentType) =>
        WithContentType(new ReadOnlyMemoryContent(body), contentType);

    private static HttpContent WithContentType(HttpContent content, string contentType)
    {
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
