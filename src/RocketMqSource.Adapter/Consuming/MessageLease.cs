using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// Keeps a message under delivery invisible, together with the messages of its group queued
/// behind it (they cannot start before it ends, so they need the same time).
/// </summary>
internal sealed partial class MessageLease(
    HeldMessage head,
    Func<IReadOnlyList<HeldMessage>> waitingBehind,
    IMessageSource source,
    TimeSpan invisibleDuration,
    TimeProvider time,
    ILogger logger) : IInvisibilityLease
{
    public async Task KeepInvisibleForAsync(TimeSpan busyFor, CancellationToken cancellationToken)
    {
        await ExtendAsync(head, busyFor, cancellationToken);
        foreach (var waiting in waitingBehind())
        {
            await ExtendAsync(waiting, busyFor, cancellationToken);
        }
    }

    private async Task ExtendAsync(HeldMessage held, TimeSpan busyFor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (InvisibilityPlanner.ExtensionNeeded(now, held.InvisibleUntil, busyFor, invisibleDuration) is not { } extension)
        {
            return;
        }

        try
        {
            var handle = await source.ChangeInvisibleDurationAsync(held.Message, extension, cancellationToken);
            held.Renewed(handle, now + extension);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Delivery goes on: at worst RocketMQ redelivers the message and the sink sees it twice.
            LogExtendFailed(e, held.Message.MessageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not extend the invisible duration of message {MessageId}")]
    private partial void LogExtendFailed(Exception exception, string messageId);
}
