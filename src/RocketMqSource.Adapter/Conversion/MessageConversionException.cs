using CloudNative.CloudEvents;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// A message that cannot become its event. <see cref="DeadLetterEvent"/>, when given, is what goes
/// to the dead-letter sink instead (the plain mapping of the raw message, so the body is kept).
/// </summary>
internal sealed class MessageConversionException(string message, CloudEvent? deadLetterEvent = null) : Exception(message)
{
    public CloudEvent? DeadLetterEvent { get; } = deadLetterEvent;
}
