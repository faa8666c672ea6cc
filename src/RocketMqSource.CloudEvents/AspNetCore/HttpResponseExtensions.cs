using Microsoft.AspNetCore.Http;
using RocketMqSource.CloudEvents.Http;
using RocketMqSource.CloudEvents.Json;

namespace RocketMqSource.CloudEvents.AspNetCore;

/// <summary>Writing a CloudEvent as an ASP.NET Core response (for example a reply event).</summary>
public static class HttpResponseExtensions
{
    /// <summary>Writes the event's headers and body; the status code is left to the caller.</summary>
    public static async Task CopyToHttpResponseAsync(
        this CloudEvent cloudEvent, HttpResponse response, ContentMode contentMode, CloudEventFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(formatter);
        var cancellationToken = response.HttpContext.RequestAborted;
        if (contentMode == ContentMode.Binary)
        {
            foreach (var (name, value) in BinaryModeHeaders.ForEvent(cloudEvent))
            {
                response.Headers[name] = value;
            }

            response.ContentType = cloudEvent.DataContentType;
            var data = formatter.EncodeBinaryModeEventData(cloudEvent);
            response.ContentLength = data.Length;
            await response.Body.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (contentMode != ContentMode.Structured)
        {
            throw new ArgumentOutOfRangeException(nameof(contentMode), contentMode, "unknown content mode");
        }

        if (formatter is JsonEventFormatter)
        {
            using var buffer = JsonEventFormatter.EncodeStructuredPooled(cloudEvent);
            response.ContentType = Internal.MediaTypes.CloudEventsJson;
            response.ContentLength = buffer.WrittenCount;
            await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            return;
        }

        var body = formatter.EncodeStructuredModeMessage(cloudEvent, out var contentType);
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
