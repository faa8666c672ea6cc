using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// The POP consumer the adapter reads from: RocketMQ 5's SimpleConsumer (receive with an
/// invisible duration, ack per message, change invisible duration). A message not acked becomes
/// visible again when its invisible duration lapses and is delivered again.
/// </summary>
internal interface IMessageSource : IAsyncDisposable
{
    /// <summary>Connects and subscribes; when this returns the adapter is consuming.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Long-polls for up to <paramref name="maxMessages"/> messages, each invisible to other consumers for <paramref name="invisibleDuration"/>.</summary>
    Task<IReadOnlyList<MessageView>> ReceiveAsync(int maxMessages, TimeSpan invisibleDuration, CancellationToken cancellationToken);

    /// <summary>Acknowledges the messages (by their newest receipt handles); returns those RocketMQ refused.</summary>
    Task<IReadOnlyList<MessageView>> AckAsync(IReadOnlyList<MessageView> messages, CancellationToken cancellationToken);

    /// <summary>Makes the message invisible for <paramref name="invisibleDuration"/> from now; later acks use the new receipt handle.</summary>
    Task ChangeInvisibleDurationAsync(MessageView message, TimeSpan invisibleDuration, CancellationToken cancellationToken);
}
