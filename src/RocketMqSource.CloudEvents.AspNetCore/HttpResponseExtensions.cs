using System.Net.Mime;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using CloudNative.CloudEvents.Http;
using Microsoft.AspNetCore.Http;

namespace RocketMqSource.CloudEvents.AspNetCore;

/// <summary>
/// Writing CloudEvents as ASP.NET Core responses (for example a reply event), with the signatures of
/// the official CloudNative.CloudEvents.AspNetCore package. The status code is left to the caller.
/// </summary>
public static class HttpResponseExtensions
{
    /// <summary>Writes the event's headers and body in the given content mode.</summary>
    public static async Task CopyToHttpResponseAsync(this CloudEvent cloudEvent, HttpResponse destination, ContentMode contentMode, CloudEventFormatter formatter)
    {
        Validation.CheckCloudEventArgument(cloudEvent, nameof(cloudEvent));
        Validation.CheckNotNull(destination, nameof(destination));
        Validation.CheckNotNull(formatter, nameof(formatter));
        ReadOnlyMemory<byte> body;
        ContentType? contentType;
        switch (contentMode)
        {
            case ContentMode.Structured:
                body = formatter.EncodeStructuredModeMessage(cloudEvent, out contentType);
                break;
            case ContentMode.Binary:
                body = formatter.EncodeBinaryModeEventData(cloudEvent);
                contentType = MimeUtilities.CreateContentTypeOrNull(formatter.GetOrInferDataContentType(cloudEvent));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(contentMode), contentMode, $"unsupported content mode {contentMode}");
        }

        if (contentType is not null)
        {
            destination.ContentType = contentType.ToString();
        }
        else if (!body.IsEmpty)
        {
            throw new ArgumentException("the event has data but no datacontenttype", nameof(cloudEvent));
        }

        // In structured mode the headers repeat what the body says; the spec allows it and it helps routing.
        destination.Headers[HttpUtilities.SpecVersionHttpHeader] = HttpUtilities.EncodeHeaderValue(cloudEvent.SpecVersion.VersionId);
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (attribute != cloudEvent.SpecVersion.DataContentTypeAttribute)
            {
                destination.Headers[HttpUtilities.HttpHeaderPrefix + attribute.Name] = HttpUtilities.EncodeHeaderValue(attribute.Format(value));
            }
        }

        destination.ContentLength = body.Length;
        await destination.Body.WriteAsync(body, destination.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
