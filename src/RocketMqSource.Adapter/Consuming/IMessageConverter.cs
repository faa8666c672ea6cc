using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>Turns a received message into the event to send (the CloudEvents converter implements this).</summary>
internal interface IMessageConverter
{
    /// <summary>The event for <paramref name="message"/>; throws <see cref="MessageConversionException"/> when it cannot be converted.</summary>
    IOutgoingEvent Convert(ReceivedMessage message);
}

/// <summary>
/// A message that cannot become its event. <see cref="DeadLetterEvent"/>, when given, is what
/// goes to the dead-letter sink instead (for example the raw body as application/octet-stream).
/// </summary>
internal sealed class MessageConversionException(string message, IOutgoingEvent? deadLetterEvent = null) : Exception(message)
{
    public IOutgoingEvent? DeadLetterEvent { get; } = deadLetterEvent;
}
