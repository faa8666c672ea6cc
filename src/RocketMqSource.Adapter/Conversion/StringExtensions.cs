using CloudNative.CloudEvents;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// Sets String extension attributes on an event (K_CE_OVERRIDES, the dead-letter error
/// extensions). Values are made valid CloudEvents Strings first. An attribute of the same name but
/// another type (a forwarded event's Integer, say) is replaced: the SDK fixes an extension's type
/// once an event declares it, so that case builds a new event without it.
/// </summary>
internal static class StringExtensions
{
    public static CloudEvent Set(CloudEvent cloudEvent, IReadOnlyDictionary<string, string> extensions)
    {
        var target = extensions.Keys.Any(name => cloudEvent.GetAttribute(name) is { } known && known.Type != CloudEventAttributeType.String)
            ? Without(cloudEvent, extensions)
            : cloudEvent;
        foreach (var (name, value) in extensions)
        {
            target[name] = AttributeText.Sanitize(value);
        }

        return target;
    }

    private static CloudEvent Without(CloudEvent cloudEvent, IReadOnlyDictionary<string, string> names)
    {
        var copy = new CloudEvent(cloudEvent.SpecVersion, cloudEvent.ExtensionAttributes.Where(a => !names.ContainsKey(a.Name)));
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (!names.ContainsKey(attribute.Name))
            {
                copy[attribute] = value;
            }
        }

        copy.Data = cloudEvent.Data;
        return copy;
    }
}
