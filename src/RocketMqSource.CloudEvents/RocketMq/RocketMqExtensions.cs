using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents.RocketMq;

/// <summary>
/// The RocketMQ protocol binding for CloudEvents, over plain user properties and a body (no RocketMQ
/// client dependency). Binary mode: each attribute is a user property "CE_{name}" holding its
/// canonical string form, datacontenttype is "CE_contenttype", the body is the data. Structured
/// mode: "CE_contenttype" is an event format (application/cloudevents+json) and the body is the event.
/// </summary>
public static class RocketMqExtensions
{
    internal const string PropertyPrefix = "CE_";
    internal const string ContentTypeProperty = "CE_contenttype";
    private const string ContentTypeName = "contenttype";

    /// <summary>True when the properties mark a CloudEvent in binary or structured mode.</summary>
    public static bool IsCloudEvent(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.ContainsKey(PropertyPrefix + "specversion")
            || MediaTypes.IsStructuredEvent(FindContentType(properties));
    }

    /// <summary>
    /// Reads the CloudEvent a RocketMQ message carries. Throws <see cref="InvalidCloudEventException"/>
    /// when the message is not a valid CloudEvent. Binary-mode byte data refers to <paramref name="body"/>
    /// without copying when it spans a whole array.
    /// </summary>
    public static CloudEvent ToCloudEvent(
        IReadOnlyDictionary<string, string> properties,
        ReadOnlyMemory<byte> body,
        CloudEventFormatter formatter,
        params CloudEventAttribute[] extensionAttributes)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(formatter);
        var contentType = FindContentType(properties);
        if (MediaTypes.IsBatch(contentType))
        {
            throw new InvalidCloudEventException("CE_contenttype", $"a RocketMQ message carries one event, not a batch ('{contentType}')");
        }

        if (MediaTypes.IsStructuredEvent(contentType))
        {
            return formatter.DecodeStructuredModeMessage(body, contentType, extensionAttributes);
        }

        if (!properties.ContainsKey(PropertyPrefix + "specversion"))
        {
            throw new InvalidCloudEventException("specversion", "not a CloudEvent: no CE_specversion property and no structured CE_contenttype");
        }

        var cloudEvent = new CloudEvent(extensionAttributes);
        foreach (var (key, value) in properties)
        {
            if (!key.StartsWith(PropertyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = key[PropertyPrefix.Length..];
            if (name.Equals(ContentTypeName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!SpecStrings.IsValidAttributeName(name))
            {
                throw new InvalidCloudEventException(name, $"property '{key}' does not name a valid attribute (lower-case a-z, 0-9)");
            }

            cloudEvent.SetAttributeFromString(name, value);
        }

        if (contentType is not null)
        {
            cloudEvent.DataContentType = contentType;
        }

        formatter.DecodeBinaryModeEventData(body, cloudEvent);
        return cloudEvent.Validate();
    }

    /// <summary>The user properties and body that carry the event in the given content mode.</summary>
    public static RocketMqEventMessage ToRocketMqMessage(this CloudEvent cloudEvent, ContentMode contentMode, CloudEventFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        ArgumentNullException.ThrowIfNull(formatter);
        cloudEvent.Validate();
        switch (contentMode)
        {
            case ContentMode.Structured:
            {
                var body = formatter.EncodeStructuredModeMessage(cloudEvent, out var contentType);
                return new RocketMqEventMessage(new Dictionary<string, string> { [ContentTypeProperty] = contentType }, body);
            }

            case ContentMode.Binary:
            {
                var properties = new Dictionary<string, string>(StringComparer.Ordinal);
                var dataContentType = cloudEvent.SpecVersion.DataContentTypeAttribute;
                foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
                {
                    var key = attribute == dataContentType ? ContentTypeProperty : attribute.RocketMqPropertyName;
                    properties[key] = attribute.Format(value);
                }

                return new RocketMqEventMessage(properties, formatter.EncodeBinaryModeEventData(cloudEvent));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(contentMode), contentMode, "unknown content mode");
        }
    }

    /// <summary>CE_contenttype; the binding spec's own example spells it CE_contentType, so match case-insensitively.</summary>
    private static string? FindContentType(IReadOnlyDictionary<string, string> properties)
    {
        if (properties.TryGetValue(ContentTypeProperty, out var value))
        {
            return value;
        }

        foreach (var (key, candidate) in properties)
        {
            if (key.Length == PropertyPrefix.Length + ContentTypeName.Length
                && key.StartsWith(PropertyPrefix, StringComparison.Ordinal)
                && key.AsSpan(PropertyPrefix.Length).Equals(ContentTypeName, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }
}
