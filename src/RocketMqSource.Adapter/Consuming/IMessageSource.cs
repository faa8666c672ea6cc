namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// The POP consumer the adapter reads from: RocketMQ 5's SimpleConsumer (receive with an
/// invisible duration, ack per message, change invisible duration). A message not acked
/// becomes visible again when its invisible duration lapses and is delivered again.
/// </summary>
internal interface IMessageSource : IAsyncDisposable
{
    /// <summary>Connects and subscribes; when this returns the adapter is consuming.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Long-polls for up to <paramref name="maxMessages"/> messages, each invisible to other consumers for <paramref name="invisibleDuration"/>.</summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan invisibleDuration, CancellationToken cancellationToken);

    /// <summary>Acknowledges the messages (by their current receipt handles); returns those RocketMQ refused.</summary>
    Task<IReadOnlyList<ReceivedMessage>> AckAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken);

    /// <summary>Makes the message invisible for <paramref name="invisibleDuration"/> from now; returns its new receipt handle.</summary>
    Task<string> ChangeInvisibleDurationAsync(ReceivedMessage message, TimeSpan invisibleDuration, CancellationToken cancellationToken);
}

/// <summary>
/// One received message as the consume loop sees it. <see cref="Native"/> carries the client's
/// own message view for the converter; the loop never looks inside it.
/// </summary>
internal sealed record ReceivedMessage(string MessageId, string? MessageGroup, string ReceiptHandle, int DeliveryAttempt, object? Native = null);
