using CloudNative.CloudEvents;
using RocketMqSource.CloudEvents.RocketMq;
using RocketMqSource.RocketMq;

using RocketMqSource.Contract;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// Turns a received message into the CloudEvent the sink gets, reading the client's
/// <see cref="MessageView"/> directly. A message that already is a CloudEvent under the RocketMQ
/// binding (CE_ properties or a structured body) is forwarded as that event; any other message is
/// mapped as docs/adapter.md "CloudEvent for a plain message" says. K_CE_OVERRIDES apply last.
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

    public CloudEvent Convert(MessageView view) => ConvertForDelivery(view).ToCloudEvent();

    /// <summary>
    /// The event the sink gets: for a plain message without K_CE_OVERRIDES its attributes and body
    /// (no CloudEvent built, see <see cref="ConvertedEvent"/>), else the SDK's CloudEvent.
    /// </summary>
    public ConvertedEvent ConvertForDelivery(MessageView view)
    {
        // A batch claims to be CloudEvents too: the binding refuses it (one message, one event), so it is a dead letter, not wrapped as data.
        if (view.IsCloudEvent() || view.IsCloudEventBatch())
        {
            var forwarded = Forwarded(view);
            return ConvertedEvent.Of(ceOverrides.Count == 0 ? forwarded : StringExtensions.Set(forwarded, ceOverrides));
        }

        var plain = Plain(view);
        return ceOverrides.Count == 0 ? plain : ConvertedEvent.Of(StringExtensions.Set(plain.ToCloudEvent(), ceOverrides));
    }

    /// <summary>
    /// What the dead-letter sink gets for a message whose own event cannot be sent: the plain mapping
    /// of the raw message (K_CE_OVERRIDES applied), so the body is kept.
    /// </summary>
    public CloudEvent DeadLetterEvent(MessageView view)
    {
        var plain = Plain(view).ToCloudEvent();
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

    /// <summary>
    /// Never fails for a message with an id: every text value is made a valid CloudEvents String.
    /// The attributes in the order a CloudEvent built from them holds them; each is validated by the
    /// SDK's rule for it, as setting it on a CloudEvent would.
    /// </summary>
    private ConvertedEvent Plain(MessageView view)
    {
        var spec = CloudEventsSpecVersion.Default;
        var attributes = new List<KeyValuePair<CloudEventAttribute, object>>(12);
        try
        {
            Add(attributes, spec.IdAttribute, AttributeText.Sanitize(view.MessageId));
            Add(attributes, spec.SourceAttribute, sources.For(view.Topic));
            Add(attributes, spec.TypeAttribute, EventType);
            Add(attributes, spec.TimeAttribute, new DateTimeOffset(DateTime.SpecifyKind(view.BornTime, DateTimeKind.Utc)));
            // Chosen among constants and declared values the SDK's own rule accepted (DataContentType).
            attributes.Add(new(spec.DataContentTypeAttribute, DataContentType.For(view.Properties, view.Body)));
            Add(attributes, Topic, AttributeText.Sanitize(view.Topic));
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new MessageConversionException($"message {view.MessageId} cannot become a CloudEvent: {e.Message}");
        }

        if (!string.IsNullOrEmpty(view.Tag))
        {
            var subject = AttributeText.Sanitize(view.Tag);
            Add(attributes, spec.SubjectAttribute, subject);
            Add(attributes, Tag, subject);
        }

        AddIfPresent(attributes, Keys, view.Keys.Count == 0 ? null : string.Join(KeySeparator, view.Keys));
        AddIfPresent(attributes, Group, view.MessageGroup);

        string? traceParentKey = null;
        string? traceStateKey = null;
        if (view.Properties.Count > 0)
        {
            traceParentKey = FindTracing(view.Properties, Tracing[0].Name);
            traceStateKey = FindTracing(view.Properties, Tracing[1].Name);
            AddIfPresent(attributes, Tracing[0], traceParentKey is null ? null : view.Properties[traceParentKey]);
            AddIfPresent(attributes, Tracing[1], traceStateKey is null ? null : view.Properties[traceStateKey]);
        }

        var userKeys = view.Properties.Count - (traceParentKey is null ? 0 : 1) - (traceStateKey is null ? 0 : 1);
        if (userKeys == 1)
        {
            // One user property (the common case): its name cannot clash.
            foreach (var (key, value) in view.Properties)
            {
                if (key != traceParentKey && key != traceStateKey)
                {
                    Add(attributes, String(PropertyExtensionNames.Prefix + PropertyExtensionNames.Sanitize(key)), AttributeText.Sanitize(value));
                }
            }
        }
        else if (userKeys > 1)
        {
            var keys = view.Properties.Keys.Where(key => key != traceParentKey && key != traceStateKey);
            foreach (var (key, name) in PropertyExtensionNames.For(keys))
            {
                Add(attributes, String(name), AttributeText.Sanitize(view.Properties[key]));
            }
        }

        return ConvertedEvent.Plain(attributes, view.Body);
    }

    /// <summary>Validated as setting it on a CloudEvent validates it (ArgumentException when invalid).</summary>
    private static void Add(List<KeyValuePair<CloudEventAttribute, object>> attributes, CloudEventAttribute attribute, object value) =>
        attributes.Add(new(attribute, attribute.Validate(value)));

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

    private static void AddIfPresent(List<KeyValuePair<CloudEventAttribute, object>> attributes, CloudEventAttribute attribute, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Add(attributes, attribute, AttributeText.Sanitize(value));
        }
    }

    private static CloudEventAttribute String(string name) => CloudEventAttribute.CreateExtension(name, CloudEventAttributeType.String);
}
