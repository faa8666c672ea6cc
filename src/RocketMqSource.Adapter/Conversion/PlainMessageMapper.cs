using RocketMqSource.CloudEvents;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// A plain RocketMQ message as a CloudEvent (DESIGN.md "CloudEvent for a plain RocketMQ message").
/// Never fails for a message with an id: every text value is made a valid CloudEvents String.
/// </summary>
internal sealed class PlainMessageMapper(EventSourceUri sources)
{
    public const string EventType = "dev.knative.rocketmq.event";
    public const string TopicExtension = "rocketmqtopic";
    public const string TagExtension = "rocketmqtag";
    public const string KeysExtension = "rocketmqkeys";
    public const string GroupExtension = "rocketmqgroup";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>RocketMQ's own separator between keys (MessageConst.KEY_SEPARATOR).</summary>
    public const string KeySeparator = " ";

    public CloudEvent Map(RocketMqMessage message)
    {
        var cloudEvent = new CloudEvent
        {
            Id = AttributeText.Sanitize(message.MessageId),
            Source = sources.For(message.Topic),
            Type = EventType,
            Time = message.BornTime,
            DataContentType = DataContentType.For(message.Properties, message.Body.Span),
        };
        if (!string.IsNullOrEmpty(message.Tag))
        {
            cloudEvent.Subject = AttributeText.Sanitize(message.Tag);
        }

        cloudEvent[TopicExtension] = AttributeText.Sanitize(message.Topic);
        SetIfPresent(cloudEvent, TagExtension, message.Tag);
        SetIfPresent(cloudEvent, KeysExtension, message.Keys.Count == 0 ? null : string.Join(KeySeparator, message.Keys));
        SetIfPresent(cloudEvent, GroupExtension, message.MessageGroup);

        var tracing = new List<string>(2);
        foreach (var name in (string[])[TraceParent, TraceState])
        {
            if (FindTracing(message.Properties, name) is { } key)
            {
                SetIfPresent(cloudEvent, name, message.Properties[key]);
                tracing.Add(key);
            }
        }

        var names = PropertyExtensionNames.For(message.Properties.Keys.Except(tracing, StringComparer.Ordinal));
        foreach (var (key, name) in names)
        {
            cloudEvent[name] = AttributeText.Sanitize(message.Properties[key]);
        }

        cloudEvent.Data = message.Body;
        return cloudEvent;
    }

    /// <summary>The property carrying a Distributed Tracing value: exactly its name, else a case-insensitive match (ordinally first).</summary>
    private static string? FindTracing(IReadOnlyDictionary<string, string> properties, string name) =>
        properties.ContainsKey(name)
            ? name
            : properties.Keys.Where(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();

    private static void SetIfPresent(CloudEvent cloudEvent, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            cloudEvent[name] = AttributeText.Sanitize(value);
        }
    }
}
