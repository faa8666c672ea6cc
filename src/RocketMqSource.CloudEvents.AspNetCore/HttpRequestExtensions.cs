using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using CloudNative.CloudEvents.Http;
using Microsoft.AspNetCore.Http;

namespace RocketMqSource.CloudEvents.AspNetCore;

/// <summary>
/// Reading CloudEvents from ASP.NET Core requests, with the signatures of the official
/// CloudNative.CloudEvents.AspNetCore package (swap the using the day the registry serves it).
/// Invalid requests throw <see cref="ArgumentException"/>, whose message names the attribute at fault.
/// </summary>
public static class HttpRequestExtensions
{
    /// <summary>True when the request holds one CloudEvent: a ce-specversion header or a structured content type (not a batch).</summary>
    public static bool IsCloudEvent(this HttpRequest httpRequest)
    {
        Validation.CheckNotNull(httpRequest, nameof(httpRequest));
        return httpRequest.Headers.ContainsKey(HttpUtilities.SpecVersionHttpHeader)
            || MimeUtilities.IsCloudEventsContentType(httpRequest.ContentType);
    }

    /// <summary>True when the request holds a batch (application/cloudevents-batch+json).</summary>
    public static bool IsCloudEventBatch(this HttpRequest httpRequest)
    {
        Validation.CheckNotNull(httpRequest, nameof(httpRequest));
        return MimeUtilities.IsCloudEventsBatchContentType(httpRequest.ContentType);
    }

    /// <summary>Reads the request's CloudEvent (binary or structured mode).</summary>
    public static Task<CloudEvent> ToCloudEventAsync(this HttpRequest httpRequest, CloudEventFormatter formatter, params CloudEventAttribute[]? extensionAttributes) =>
        ToCloudEventAsync(httpRequest, formatter, (IEnumerable<CloudEventAttribute>?)extensionAttributes);

    /// <summary>Reads the request's CloudEvent (binary or structured mode).</summary>
    public static async Task<CloudEvent> ToCloudEventAsync(this HttpRequest httpRequest, CloudEventFormatter formatter, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        Validation.CheckNotNull(httpRequest, nameof(httpRequest));
        Validation.CheckNotNull(formatter, nameof(formatter));
        if (MimeUtilities.IsCloudEventsContentType(httpRequest.ContentType))
        {
            var format = MimeUtilities.CreateContentTypeOrNull(httpRequest.ContentType);
            return await formatter.DecodeStructuredModeMessageAsync(httpRequest.Body, format, extensionAttributes).ConfigureAwait(false);
        }

        if (!httpRequest.Headers.TryGetValue(HttpUtilities.SpecVersionHttpHeader, out var versionId) || versionId.Count == 0)
        {
            throw new ArgumentException(
                $"the request is not a CloudEvent: it has neither a {HttpUtilities.SpecVersionHttpHeader} header nor a CloudEvents content type", nameof(httpRequest));
        }

        var version = CloudEventsSpecVersion.FromVersionId(versionId[0])
            ?? throw new ArgumentException($"Unsupported CloudEvents spec version '{versionId[0]}' in attribute 'specversion'", nameof(httpRequest));
        var cloudEvent = new CloudEvent(version, extensionAttributes);
        foreach (var (name, values) in httpRequest.Headers)
        {
            if (HttpUtilities.GetAttributeNameFromHeaderName(name) is { } attributeName && attributeName != CloudEventsSpecVersion.SpecVersionAttribute.Name)
            {
                cloudEvent.SetAttributeFromString(attributeName, HttpUtilities.DecodeHeaderValue(values[0]!));
            }
        }

        cloudEvent.DataContentType = httpRequest.ContentType;
        var data = await BinaryDataUtilities.ToReadOnlyMemoryAsync(httpRequest.Body).ConfigureAwait(false);
        formatter.DecodeBinaryModeEventData(data, cloudEvent);
        return Validation.CheckCloudEventArgument(cloudEvent, nameof(httpRequest));
    }

    /// <summary>Reads a batch of events (application/cloudevents-batch+json).</summary>
    public static Task<IReadOnlyList<CloudEvent>> ToCloudEventBatchAsync(this HttpRequest httpRequest, CloudEventFormatter formatter, params CloudEventAttribute[]? extensionAttributes) =>
        ToCloudEventBatchAsync(httpRequest, formatter, (IEnumerable<CloudEventAttribute>?)extensionAttributes);

    /// <summary>Reads a batch of events (application/cloudevents-batch+json).</summary>
    public static Task<IReadOnlyList<CloudEvent>> ToCloudEventBatchAsync(this HttpRequest httpRequest, CloudEventFormatter formatter, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        Validation.CheckNotNull(httpRequest, nameof(httpRequest));
        Validation.CheckNotNull(formatter, nameof(formatter));
        if (!IsCloudEventBatch(httpRequest))
        {
            throw new ArgumentException($"the request is not a CloudEvents batch: content type '{httpRequest.ContentType}'", nameof(httpRequest));
        }

        var format = MimeUtilities.CreateContentTypeOrNull(httpRequest.ContentType);
        return formatter.DecodeBatchModeMessageAsync(httpRequest.Body, format, extensionAttributes);
    }
}
