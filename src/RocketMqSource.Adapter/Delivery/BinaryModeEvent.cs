using RocketMqSource.Adapter.Conversion;
using RocketMqSource.CloudEvents;
using RocketMqSource.CloudEvents.Http;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// A CloudEvent sent in HTTP binary mode: attributes as ce- headers, datacontenttype as Content-Type,
/// the data bytes as the body (not copied). Each request gets fresh content over the same event.
/// </summary>
internal sealed class BinaryModeEvent(CloudEvent cloudEvent, CloudEventFormatter formatter) : IOutgoingEvent
{
    public CloudEvent Event { get; } = cloudEvent;

    public string Id => Event.Id ?? string.Empty;

    public HttpRequestMessage CreateRequest(Uri target) =>
        new(HttpMethod.Post, target) { Content = Event.ToHttpContent(ContentMode.Binary, formatter) };

    /// <summary>
    /// A copy with these String extensions; an attribute of the same name is replaced whatever its
    /// type was. Values are made valid CloudEvents Strings (control characters become U+FFFD).
    /// </summary>
    public IOutgoingEvent WithExtensions(IReadOnlyDictionary<string, string> extensions)
    {
        var copy = new CloudEvent(Event.ExtensionAttributes.Where(a => !extensions.ContainsKey(a.Name)));
        foreach (var (attribute, value) in Event.GetPopulatedAttributes())
        {
            if (attribute != Event.SpecVersion.SpecVersionAttribute && !extensions.ContainsKey(attribute.Name))
            {
                copy[attribute] = value;
            }
        }

        foreach (var (name, value) in extensions)
        {
            copy[name] = AttributeText.Sanitize(value);
        }

        copy.Data = Event.Data;
        return new BinaryModeEvent(copy, formatter);
    }
}
