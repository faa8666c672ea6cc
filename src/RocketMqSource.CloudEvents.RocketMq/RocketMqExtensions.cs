using System.Net.Mime;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using RocketMqSource.RocketMq;

namespace RocketMqSource.CloudEvents.RocketMq;

/// <summary>
/// The RocketMQ protocol binding for CloudEvents, in the shape of the SDK's Kafka and MQTT bindings.
/// Binary mode: every attribute is the user property <c>CE_{name}</c> holding its canonical string,
/// datacontenttype is <c>CE_contenttype</c> and the body is the data. Structured mode:
/// <c>CE_contenttype</c> names an event format (application/cloudevents+json) and the body is the event.
/// Reading is tolerant: <c>CE_contentType</c> (the binding document's own spelling) counts as
/// <c>CE_contenttype</c>, and <c>CE_datacontenttype</c> (what a producer writing every attribute as
/// <c>CE_{name}</c> sends, and what the Java SDK's RocketMQ reader accepts) is the content type when
/// <c>CE_contenttype</c> is absent; <c>CE_contenttype</c> wins when both are present. Without either
/// the event has no datacontenttype, which CloudEvents 1.0 allows.
/// </summary>
public static class RocketMqExtensions
{
    private const string PropertyPrefix = "CE_";
    private const string ContentTypeProperty = PropertyPrefix + "contenttype";
    private const string ContentTypeName = "contenttype";
    private const string SpecVersionProperty = PropertyPrefix + "specversion";
    private const string DataContentTypeProperty = PropertyPrefix + "datacontenttype";

    /// <summary>True when the received message carries a CloudEvent in binary or structured mode (not a batch).</summary>
    public static bool IsCloudEvent(this MessageView message) =>
        IsCloudEvent(Validation.CheckNotNull(message, nameof(message)).Properties);

    /// <summary>True when the message carries a CloudEvent in binary or structured mode (not a batch).</summary>
    public static bool IsCloudEvent(this Message message) =>
        IsCloudEvent(Validation.CheckNotNull(message, nameof(message)).Properties);

    /// <summary>True when the received message claims to carry a batch of CloudEvents (CE_contenttype application/cloudevents-batch+json), which a RocketMQ message cannot: <see cref="ToCloudEvent(MessageView, CloudEventFormatter, CloudEventAttribute[])"/> refuses it.</summary>
    public static bool IsCloudEventBatch(this MessageView message) =>
        MimeUtilities.IsCloudEventsBatchContentType(FindContentType(Validation.CheckNotNull(message, nameof(message)).Properties));

    /// <summary>The CloudEvent a received message carries; see <see cref="ToCloudEvent(Message, CloudEventFormatter, IEnumerable{CloudEventAttribute}?)"/>.</summary>
    public static CloudEvent ToCloudEvent(this MessageView message, CloudEventFormatter formatter, params CloudEventAttribute[]? extensionAttributes) =>
        ToCloudEvent(message, formatter, (IEnumerable<CloudEventAttribute>?)extensionAttributes);

    /// <summary>The CloudEvent a received message carries; see <see cref="ToCloudEvent(Message, CloudEventFormatter, IEnumerable{CloudEventAttribute}?)"/>.</summary>
    public static CloudEvent ToCloudEvent(this MessageView message, CloudEventFormatter formatter, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        Validation.CheckNotNull(message, nameof(message));
        return Decode(message.Properties, message.Body, formatter, extensionAttributes, nameof(message));
    }

    /// <summary>The CloudEvent a message carries.</summary>
    public static CloudEvent ToCloudEvent(this Message message, CloudEventFormatter formatter, params CloudEventAttribute[]? extensionAttributes) =>
        ToCloudEvent(message, formatter, (IEnumerable<CloudEventAttribute>?)extensionAttributes);

    /// <summary>
    /// The CloudEvent a message carries, validated. Throws <see cref="InvalidOperationException"/> when the
    /// message is no CloudEvent at all (as the SDK's Kafka binding does) and <see cref="ArgumentException"/>
    /// when it claims to be one but is not valid; the message names the attribute at fault.
    /// </summary>
    public static CloudEvent ToCloudEvent(this Message message, CloudEventFormatter formatter, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        Validation.CheckNotNull(message, nameof(message));
        return Decode(message.Properties, message.Body, formatter, extensionAttributes, nameof(message));
    }

    /// <summary>
    /// A message builder carrying the event in the given content mode: set the topic (and tag, keys or
    /// message group) and build. RocketMQ refuses an empty body, so an event without data travels in
    /// structured mode only.
    /// </summary>
    public static Message.Builder ToRocketMqMessage(this CloudEvent cloudEvent, ContentMode contentMode, CloudEventFormatter formatter)
    {
        Validation.CheckCloudEventArgument(cloudEvent, nameof(cloudEvent));
        Validation.CheckNotNull(formatter, nameof(formatter));
        var builder = new Message.Builder();
        ReadOnlyMemory<byte> body;
        switch (contentMode)
        {
            case ContentMode.Structured:
                body = formatter.EncodeStructuredModeMessage(cloudEvent, out var format);
                builder.AddProperty(ContentTypeProperty, format.ToString());
                break;
            case ContentMode.Binary:
                body = formatter.EncodeBinaryModeEventData(cloudEvent);
                builder.AddProperty(SpecVersionProperty, cloudEvent.SpecVersion.VersionId);
                foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
                {
                    if (attribute != cloudEvent.SpecVersion.DataContentTypeAttribute)
                    {
                        builder.AddProperty(PropertyPrefix + attribute.Name, attribute.Format(value));
                    }
                }

                if (formatter.GetOrInferDataContentType(cloudEvent) is { } dataContentType)
                {
                    builder.AddProperty(ContentTypeProperty, dataContentType);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(contentMode), contentMode, $"unsupported content mode {contentMode}");
        }

        if (body.IsEmpty)
        {
            throw new ArgumentException($"the event {cloudEvent.Id} has no data, and RocketMQ refuses an empty body: send it in structured mode", nameof(cloudEvent));
        }

        return builder.SetBody(BinaryDataUtilities.AsArray(body));
    }

    private static bool IsCloudEvent(IReadOnlyDictionary<string, string> properties) =>
        properties.ContainsKey(SpecVersionProperty) || MimeUtilities.IsCloudEventsContentType(FindContentType(properties));

    private static CloudEvent Decode(
        IReadOnlyDictionary<string, string> properties, byte[] body, CloudEventFormatter formatter, IEnumerable<CloudEventAttribute>? extensionAttributes, string paramName)
    {
        Validation.CheckNotNull(formatter, nameof(formatter));
        var contentType = FindContentType(properties);
        if (MimeUtilities.IsCloudEventsBatchContentType(contentType))
        {
            throw new ArgumentException($"a RocketMQ message carries one event, not a batch ({ContentTypeProperty} '{contentType}')", paramName);
        }

        if (MimeUtilities.IsCloudEventsContentType(contentType))
        {
            return formatter.DecodeStructuredModeMessage(body, new ContentType(contentType!), extensionAttributes);
        }

        if (!properties.TryGetValue(SpecVersionProperty, out var versionId))
        {
            throw new InvalidOperationException($"the message is not a CloudEvent: it has neither a {SpecVersionProperty} property nor a structured {ContentTypeProperty}");
        }

        var version = CloudEventsSpecVersion.FromVersionId(versionId)
            ?? throw new ArgumentException($"Unsupported CloudEvents spec version '{versionId}' in attribute 'specversion'", paramName);
        var cloudEvent = new CloudEvent(version, extensionAttributes);
        foreach (var (key, value) in properties)
        {
            if (!key.StartsWith(PropertyPrefix, StringComparison.Ordinal) || key == SpecVersionProperty || key == DataContentTypeProperty || IsContentTypeKey(key))
            {
                continue;
            }

            cloudEvent.SetAttributeFromString(key[PropertyPrefix.Length..], value);
        }

        // Set only when there is one: datacontenttype is OPTIONAL (CloudEvents 1.0 §3.1.1).
        if ((contentType ?? properties.GetValueOrDefault(DataContentTypeProperty)) is { } dataContentType)
        {
            cloudEvent.DataContentType = dataContentType;
        }

        formatter.DecodeBinaryModeEventData(body, cloudEvent);
        return Validation.CheckCloudEventArgument(cloudEvent, paramName);
    }

    /// <summary>CE_contenttype; the binding's own example spells it CE_contentType, so the name matches case-insensitively.</summary>
    private static string? FindContentType(IReadOnlyDictionary<string, string> properties)
    {
        if (properties.TryGetValue(ContentTypeProperty, out var value))
        {
            return value;
        }

        if (properties.Count == 0)
        {
            return null;
        }

        // Several spellings (CE_contentType, CE_CONTENTTYPE): the ordinally first, so the choice never depends on the map's order.
        string? found = null;
        foreach (var key in properties.Keys)
        {
            if (IsContentTypeKey(key) && (found is null || string.CompareOrdinal(key, found) < 0))
            {
                found = key;
            }
        }

        return found is null ? null : properties[found];
    }

    private static bool IsContentTypeKey(string key) =>
        key.Length == ContentTypeProperty.Length
        && key.StartsWith(PropertyPrefix, StringComparison.Ordinal)
        && key.AsSpan(PropertyPrefix.Length).Equals(ContentTypeName, StringComparison.OrdinalIgnoreCase);
}
