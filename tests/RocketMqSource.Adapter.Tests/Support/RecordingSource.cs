using System.Collections.Concurrent;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>Passes everything to the real source and records each received (message id, delivery attempt).</summary>
internal sealed class RecordingSource(IMessageSource inner) : IMessageSource
{
    public ConcurrentQueue<(string MessageId, int DeliveryAttempt)> Received { get; } = new();

    public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    public async Task<IReadOnlyList<MessageView>> ReceiveAsync(int maxMessages, TimeSpan invisibleDuration, CancellationToken cancellationToken)
    {
        var messages = await inner.ReceiveAsync(maxMessages, invisibleDuration, cancellationToken);
        foreach (var message in messages)
        {
            Received.Enqueue((message.MessageId, message.DeliveryAttempt));
        }

        return messages;
    }

    public Task<IReadOnlyList<MessageView>> AckAsync(IReadOnlyList<MessageView> messages, CancellationToken cancellationToken) =>
        inner.AckAsync(messages, cancellationToken);

    public Task ChangeInvisibleDurationAsync(MessageView message, TimeSpan invisibleDuration, CancellationToken cancellationToken) =>
        inner.ChangeInvisibleDurationAsync(message, invisibleDuration, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
