using CloudNative.CloudEvents;
using RocketMqSource.CloudEvents.RocketMq;
using RocketMqSource.RocketMq;

using RocketMqSource.Contract;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// Turns a received message into the CloudEvent the sink gets, reading the client's
/// <see cref="MessageView"/> directly. A message that already is a CloudEvent under the RocketMQ
/// binding (CE_ properties or a structured body) is forwarded as that event; any other message is
/// mapped as DESIGN.md "CloudEvent for a plain RocketMQ message" says. K_CE_OVERRIDES apply last.
/// A message claiming to be a CloudEvent that is not a valid one cannot be delivered: its
/// dead-letter event is the plain mapping of the raw message, so the dead-letter sink still gets the body.
/// </summary>
internal sealed class CloudEventConverter(EventSourceUri sources, IReadOnlyDictionary<string, string> ceOverrides)
{
    public const string EventType = RocketMqEvents.Type;

    /// <summary>RocketMQ's own separator between keys (MessageConst.KEY_SEPARATOR).</summary>
    public const string KeySeparator = " ";

    // Declared once: the SDK would otherwise create (and name-check) an attribute per event.
    private static readonly CloudEventAttribute Topic = String("rocketmqtopic");
    private static readonly CloudEventAttribute Tag = String("rocketmqtag");
    private static readonly CloudEventAttribute Keys = String("rocketmqkeys");
    private static readonly CloudEventAttribute Group = String("rocketmqgroup");
    private static readonly CloudEventAttribute[] Tracing = [String("traceparent"), String("tracestate")];

    public CloudEvent Convert(MessageView view)
    {
        // A batch claims to be CloudEvents too: the binding refuses it (one message, one event), so it is a dead letter, not wrapped as data.
        var cloudEvent = view.IsCloudEvent() || view.IsCloudEventBatch() ? Forwarded(view) : Plain(view);
        return ceOverrides.Count == 0 ? cloudEvent : StringExtensions.Set(cloudEvent, ceOverrides);
    }

    /// <summary>
    /// What the dead-letter sink gets for a message whose own event cannot be sent: the plain mapping
    /// of the raw message (K_CE_OVERRIDES applied), so the body is kept.
    /// </summary>
    public CloudEvent DeadLetterEvent(MessageView view)
    {
        var plain = Plain(view);
        return ceOverrides.Count == 0 ? plain : StringExtensions.Set(plain, ceOverrides);
    }

    private CloudEvent Forwarded(MessageView view)
    {
        try
        {
            // The formatter keeps binary-mode data as the body's bytes: the sink gets them unchanged.
            return view.ToCloudEvent(AdapterEventFormatter.Instance);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the SDK threw (ArgumentException names the attribute, JsonException the body), the
            // same message throws it again: it is no transient failure.
            throw new MessageConversionException($"the message is marked as a CloudEvent but is not a valid one: {e.Message}", DeadLetterEvent(view));
        }
    }

    /// <summary>Never fails for a message with an id: every text value is made a valid CloudEvents String.</summary>
    private CloudEvent Plain(MessageView view)
    {
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = new CloudEvent
            {
                Id = AttributeText.Sanitize(view.MessageId),
                Source = sources.For(view.Topic),
                Type = EventType,
                Time = new DateTimeOffset(DateTime.SpecifyKind(view.BornTime, DateTimeKind.Utc)),
                DataContentType = DataContentType.For(view.Properties, view.Body),
                // The body as received: the SDK writes byte[] data as the binary-mode body without copying.
                Data = view.Body,
                [Topic] = AttributeText.Sanitize(view.Topic),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new MessageConversionException($"message {view.MessageId} cannot become a CloudEvent: {e.Message}");
        }

        if (!string.IsNullOrEmpty(view.Tag))
        {
            cloudEvent.Subject = AttributeText.Sanitize(view.Tag);
            cloudEvent[Tag] = cloudEvent.Subject;
        }

        SetIfPresent(cloudEvent, Keys, view.Keys.Count == 0 ? null : string.Join(KeySeparator, view.Keys));
        SetIfPresent(cloudEvent, Group, view.MessageGroup);

        string? traceParentKey = null;
        string? traceStateKey = null;
        if (view.Properties.Count > 0)
        {
            traceParentKey = FindTracing(view.Properties, Tracing[0].Name);
            traceStateKey = FindTracing(view.Properties, Tracing[1].Name);
            SetIfPresent(cloudEvent, Tracing[0], traceParentKey is null ? null : view.Properties[traceParentKey]);
            SetIfPresent(cloudEvent, Tracing[1], traceStateKey is null ? null : view.Properties[traceStateKey]);
        }

        var userKeys = view.Properties.Count - (traceParentKey is null ? 0 : 1) - (traceStateKey is null ? 0 : 1);
        if (userKeys == 1)
        {
            // One user property (the common case): its name cannot clash.
            foreach (var (key, value) in view.Properties)
            {
                if (key != traceParentKey && key != traceStateKey)
                {
                    cloudEvent[PropertyExtensionNames.Prefix + PropertyExtensionNames.Sanitize(key)] = AttributeText.Sanitize(value);
                }
            }
        }
        else if (userKeys > 1)
        {
            var keys = view.Properties.Keys.Where(key => key != traceParentKey && key != traceStateKey);
            foreach (var (key, name) in PropertyExtensionNames.For(keys))
            {
                cloudEvent[name] = AttributeText.Sanitize(view.Properties[key]);
            }
        }

        return cloudEvent;
    }

    /// <summary>The property carrying a Distributed Tracing value: exactly its name, else a case-insensitive match (ordinally first).</summary>
    private static string? FindTracing(IReadOnlyDictionary<string, string> properties, string name)
    {
        if (properties.ContainsKey(name))
        {
            return name;
        }

        string? found = null;
        foreach (var key in properties.Keys)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase) && (found is null || string.CompareOrdinal(key, found) < 0))
            {
                found = key;
            }
        }

        return found;
    }

    private static void SetIfPresent(CloudEvent cloudEvent, CloudEventAttribute attribute, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            cloudEvent[attribute] = AttributeText.Sanitize(value);
        }
    }

    private static CloudEventAttribute String(string name) => CloudEventAttribute.CreateExtension(name, CloudEventAttributeType.String);
}
