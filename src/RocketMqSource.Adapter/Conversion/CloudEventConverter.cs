using System.Text.Json;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.CloudEvents;
using RocketMqSource.CloudEvents.Json;
using RocketMqSource.CloudEvents.RocketMq;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// Turns a received message into its CloudEvent: a message that already is a CloudEvent under the
/// RocketMQ binding (CE_ properties or a structured body) is forwarded as that event; any other
/// message is mapped by <see cref="PlainMessageMapper"/>. A message claiming to be a CloudEvent that
/// is not a valid one cannot be delivered: its dead-letter event is the plain mapping of the raw
/// message, so the dead-letter sink still receives the body.
/// </summary>
internal sealed class CloudEventConverter(PlainMessageMapper plain) : IMessageConverter
{
    private static readonly JsonEventFormatter Formatter = new();

    public IOutgoingEvent Convert(ReceivedMessage message) => message.Native switch
    {
        MessageView view => Convert(RocketMqMessage.From(view)),
        RocketMqMessage content => Convert(content),
        _ => throw new MessageConversionException($"message {message.MessageId} carries no RocketMQ message content"),
    };

    public IOutgoingEvent Convert(RocketMqMessage message) =>
        new BinaryModeEvent(RocketMqExtensions.IsCloudEvent(message.Properties) ? ForwardedEvent(message) : MapPlain(message), Formatter);

    private CloudEvent ForwardedEvent(RocketMqMessage message)
    {
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = RocketMqExtensions.ToCloudEvent(message.Properties, message.Body, Formatter);
        }
        catch (Exception e) when (e is InvalidCloudEventException or JsonException or FormatException or ArgumentException)
        {
            var reason = $"the message is marked as a CloudEvent but is not a valid one: {e.Message}";
            throw new MessageConversionException(reason, new BinaryModeEvent(MapPlain(message), Formatter));
        }

        if (!IsStructured(message.Properties) && !message.Body.IsEmpty)
        {
            // Binary mode: the body is the data; forward its bytes as they are rather than re-encoded.
            cloudEvent.Data = message.Body;
        }

        return cloudEvent;
    }

    private CloudEvent MapPlain(RocketMqMessage message)
    {
        try
        {
            return plain.Map(message);
        }
        catch (InvalidCloudEventException e)
        {
            throw new MessageConversionException($"message {message.MessageId} cannot become a CloudEvent: {e.Message}");
        }
    }

    /// <summary>Structured mode, as the binding reads it: CE_contenttype names an event format.</summary>
    private static bool IsStructured(IReadOnlyDictionary<string, string> properties) =>
        properties.Any(p => p.Key.StartsWith("CE_", StringComparison.Ordinal)
            && p.Key.AsSpan(3).Equals("contenttype", StringComparison.OrdinalIgnoreCase)
            && p.Value.AsSpan().TrimStart().StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase));
}
