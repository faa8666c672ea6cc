using CloudNative.CloudEvents;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// A message's event on its way to the sink. A forwarded event, or any event with K_CE_OVERRIDES,
/// is the SDK's CloudEvent. A plain message's event is its attributes, in the order the SDK's
/// CloudEvent holds them and each validated by the SDK's own rule (datacontenttype by
/// <see cref="DataContentType"/>), and its body: the hot path writes those without building a
/// CloudEvent (two attribute maps and a ContentType parse per event). The CloudEvent is built from
/// the same attributes when one is needed (a dead letter, a failure's report); the oracle property
/// holds both to the same bytes on the wire.
/// </summary>
internal sealed class ConvertedEvent
{
    private readonly List<KeyValuePair<CloudEventAttribute, object>>? attributes;
    private CloudEvent? cloudEvent;

    private ConvertedEvent(CloudEvent? cloudEvent, List<KeyValuePair<CloudEventAttribute, object>>? attributes, byte[]? body, string id)
    {
        this.cloudEvent = cloudEvent;
        this.attributes = attributes;
        Body = body;
        Id = id;
    }

    public string Id { get; }

    /// <summary>A plain message's attributes (null for an SDK event): what <see cref="ToCloudEvent"/> sets, in order.</summary>
    public IReadOnlyList<KeyValuePair<CloudEventAttribute, object>>? Attributes => attributes;

    /// <summary>A plain message's body, its data as it is (null for an SDK event).</summary>
    public byte[]? Body { get; }

    public static ConvertedEvent Of(CloudEvent cloudEvent) => new(cloudEvent, null, null, cloudEvent.Id ?? string.Empty);

    /// <summary>A plain message's event: <paramref name="attributes"/> start with the id.</summary>
    public static ConvertedEvent Plain(List<KeyValuePair<CloudEventAttribute, object>> attributes, byte[] body) =>
        new(null, attributes, body, (string)attributes[0].Value);

    /// <summary>The SDK's CloudEvent of this event, built once.</summary>
    public CloudEvent ToCloudEvent()
    {
        if (cloudEvent is null)
        {
            var built = new CloudEvent();
            foreach (var (attribute, value) in attributes!)
            {
                built[attribute] = value;
            }

            built.Data = Body;
            cloudEvent = built;
        }

        return cloudEvent;
    }
}
