using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents.Http;

/// <summary>
/// The binary-mode header mapping, shared by every HTTP reader and writer: each attribute except
/// datacontenttype is a "ce-" header with a percent-encoded canonical string value;
/// datacontenttype is the Content-Type header.
/// </summary>
internal static class BinaryModeHeaders
{
    public const string Prefix = "ce-";
    public const string SpecVersionHeader = "ce-specversion";

    /// <summary>Each (header name, header value) an event's attributes become, Content-Type excluded.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ForEvent(CloudEvent cloudEvent)
    {
        cloudEvent.Validate();
        var dataContentType = cloudEvent.SpecVersion.DataContentTypeAttribute;
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (attribute != dataContentType)
            {
                yield return new(attribute.HttpHeaderName, HeaderValueCodec.Encode(attribute.Format(value)));
            }
        }
    }

    /// <summary>Whether headers and content type describe a CloudEvent (structured or binary, not batch).</summary>
    public static bool IsCloudEvent(string? contentType, Func<string, bool> hasHeader) =>
        MediaTypes.IsStructuredEvent(contentType) || (!MediaTypes.IsBatch(contentType) && hasHeader(SpecVersionHeader));

    /// <summary>Builds the event of a binary-mode message from its headers, Content-Type and body.</summary>
    public static CloudEvent ReadEvent(
        IEnumerable<KeyValuePair<string, string>> headers,
        string? contentType,
        ReadOnlyMemory<byte> body,
        CloudEventFormatter formatter,
        IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        var cloudEvent = new CloudEvent(extensionAttributes);
        var sawSpecVersion = false;
        foreach (var (name, rawValue) in headers)
        {
            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var attributeName = name[Prefix.Length..].ToLowerInvariant();
            if (!SpecStrings.IsValidAttributeName(attributeName))
            {
                throw new InvalidCloudEventException(attributeName, $"header '{name}' does not name a valid attribute");
            }

            string value;
            try
            {
                value = HeaderValueCodec.Decode(rawValue);
            }
            catch (FormatException e)
            {
                throw new InvalidCloudEventException(attributeName, e.Message, e);
            }

            sawSpecVersion |= attributeName == "specversion";
            cloudEvent.SetAttributeFromString(attributeName, value);
        }

        if (!sawSpecVersion)
        {
            throw new InvalidCloudEventException("specversion", "not a CloudEvent: no ce-specversion header and no application/cloudevents content type");
        }

        if (!string.IsNullOrEmpty(contentType))
        {
            cloudEvent.DataContentType = contentType;
        }

        formatter.DecodeBinaryModeEventData(body, cloudEvent);
        return cloudEvent.Validate();
    }
}
