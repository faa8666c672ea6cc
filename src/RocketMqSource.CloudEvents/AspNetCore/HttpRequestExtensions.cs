using Microsoft.AspNetCore.Http;
using RocketMqSource.CloudEvents.Http;
using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents.AspNetCore;

/// <summary>Reading CloudEvents from ASP.NET Core requests (binary, structured and batch mode).</summary>
public static class HttpRequestExtensions
{
    /// <summary>True when the request carries one CloudEvent (ce-specversion header or structured content type).</summary>
    public static bool IsCloudEvent(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BinaryModeHeaders.IsCloudEvent(request.ContentType, request.Headers.ContainsKey);
    }

    /// <summary>True when the request carries a batch (application/cloudevents-batch+json).</summary>
    public static bool IsCloudEventBatch(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MediaTypes.IsBatch(request.ContentType);
    }

    /// <summary>
    /// Reads the request's CloudEvent. Throws <see cref="InvalidCloudEventException"/> (answer 400)
    /// when the request is not a valid CloudEvent.
    /// </summary>
    public static async Task<CloudEvent> ToCloudEventAsync(
        this HttpRequest request,
        CloudEventFormatter formatter,
        params CloudEventAttribute[] extensionAttributes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(formatter);
        var contentType = request.ContentType;
        if (MediaTypes.IsBatch(contentType))
        {
            throw new InvalidCloudEventException("the request carries a batch of events; use ToCloudEventBatchAsync");
        }

        var body = await RequestBody.ReadAsync(request).ConfigureAwait(false);
        if (MediaTypes.IsStructuredEvent(contentType))
        {
            return formatter.DecodeStructuredModeMessage(body, contentType, extensionAttributes);
        }

        var headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()));
        return BinaryModeHeaders.ReadEvent(headers, contentType, body, formatter, extensionAttributes);
    }

    /// <summary>
    /// Reads a batch of events (application/cloudevents-batch+json). Throws
    /// <see cref="InvalidCloudEventException"/> when the request is not a valid batch.
    /// </summary>
    public static async Task<IReadOnlyList<CloudEvent>> ToCloudEventBatchAsync(
        this HttpRequest request,
        CloudEventFormatter formatter,
        params CloudEventAttribute[] extensionAttributes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(formatter);
        if (!MediaTypes.IsBatch(request.ContentType))
        {
            throw new InvalidCloudEventException(
                $"not a CloudEvents batch: content type '{request.ContentType}' is not application/cloudevents-batch+json");
        }

        var body = await RequestBody.ReadAsync(request).ConfigureAwait(false);
        return formatter.DecodeBatchModeMessage(body, request.ContentType, extensionAttributes);
    }
}
