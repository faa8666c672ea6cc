using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using CloudNative.CloudEvents;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>How the adapter let go of a message.</summary>
internal enum Settlement
{
    /// <summary>Delivered or dead-lettered, then acked (or the ack failed: RocketMQ delivers it again).</summary>
    Acked,

    /// <summary>Given back to RocketMQ to be delivered again after the hand-back delay.</summary>
    HandedBack,

    /// <summary>Left alone (shutdown or an unexpected error): it returns after its invisible duration.</summary>
    Abandoned,
}

/// <summary>
/// Runs the deliveries of the messages the consume loop holds: convert, dispatch, settle. Messages
/// of one message group go one at a time in receive order (when ordered), everything else in
/// parallel. While a message is held its invisibility is renewed before it could lapse; when it is
/// let go (acked, handed back, abandoned) its <see cref="Settlement"/> goes back to the loop
/// through <see cref="Settled"/>.
/// </summary>
internal sealed partial class DeliveryScheduler(
    CloudEventConverter converter,
    EventDispatcher dispatcher,
    IMessageSource source,
    AckBatcher acks,
    ConsumeOptions options,
    AdapterTelemetry telemetry,
    TimeProvider time,
    ILogger<DeliveryScheduler> logger)
{
    private readonly Channel<Settlement> settled = Channel.CreateUnbounded<Settlement>(new() { SingleReader = true });
    private readonly Dictionary<string, Queue<InFlightMessage>> groups = new(StringComparer.Ordinal);
    private readonly HashSet<InFlightMessage> held = [];
    private readonly TimeSpan renewalMargin = RocketMqOptions.RenewalMarginFor(options.InvisibleDuration);
    private ITimer? renewals;

    /// <summary>One settlement per scheduled message, when the adapter has let go of it.</summary>
    public ChannelReader<Settlement> Settled => settled.Reader;

    /// <summary>Starts the invisibility renewals and the ack batcher; runs until <see cref="Complete"/> (or <paramref name="abandon"/>).</summary>
    public Task RunAsync(CancellationToken abandon)
    {
        telemetry.ObserveOldestInFlight(OldestHeldAge);
        renewals = time.CreateTimer(_ => RenewDue(), null, renewalMargin, renewalMargin);
        return acks.RunAsync(abandon);
    }

    /// <summary>Every message is settled: stop renewing and let the ack batcher finish.</summary>
    public void Complete()
    {
        renewals?.Dispose();
        acks.Complete();
    }

    public void Schedule(InFlightMessage message, CancellationToken deliveries)
    {
        lock (held)
        {
            held.Add(message);
        }

        if (!options.Ordered || message.View.MessageGroup is not { } group)
        {
            _ = DeliverOneAsync(message, deliveries);
            return;
        }

        lock (groups)
        {
            if (groups.TryGetValue(group, out var queue))
            {
                queue.Enqueue(message);
                return;
            }

            groups[group] = new Queue<InFlightMessage>();
        }

        _ = DeliverGroupAsync(group, message, deliveries);
    }

    private async Task DeliverOneAsync(InFlightMessage message, CancellationToken deliveries)
    {
        // Off the receive loop's thread: the loop goes back to receiving at once.
        await Task.Yield();
        await DeliverAsync(message, deliveries);
    }

    private async Task DeliverGroupAsync(string group, InFlightMessage first, CancellationToken deliveries)
    {
        await Task.Yield();
        var current = first;
        while (true)
        {
            var (settlement, lastAttempt) = await DeliverAsync(current, deliveries);
            InFlightMessage? next = null;
            List<InFlightMessage> left = [];
            lock (groups)
            {
                var queue = groups[group];
                if (settlement != Settlement.Acked || !queue.TryDequeue(out next))
                {
                    left = [.. queue];
                    groups.Remove(group);
                }
            }

            if (next is not null)
            {
                current = next;
                continue;
            }

            // The group's order would break if later messages overtook the one not delivered, so
            // they go back (or are left) with it.
            foreach (var waiting in left)
            {
                if (settlement == Settlement.HandedBack)
                {
                    await HandBackAsync(waiting, lastAttempt!, span: null, deliveries);
                }
                else
                {
                    await AbandonAsync(waiting);
                }
            }

            return;
        }
    }

    /// <summary>
    /// Convert, dispatch and settle one message, inside its consumer span (which ends when the
    /// message is let go); returns how it was let go (Acked as soon as its ack is queued) and the
    /// sink's last answer (null when abandoned).
    /// </summary>
    private async Task<(Settlement Settlement, AttemptResult? LastAttempt)> DeliverAsync(InFlightMessage message, CancellationToken deliveries)
    {
        var span = DeliveryTracing.Start(message.View, options.ConsumerGroup);
        DispatchOutcome outcome;
        try
        {
            outcome = await DispatchAsync(message, DeliveryTracing.HeadersFor(span, message.View), deliveries);
        }
        catch (OperationCanceledException) when (deliveries.IsCancellationRequested)
        {
            LogAbandoned(message.View.MessageId);
            DeliveryTracing.Event(span, "abandoned", null);
            span?.Dispose();
            await AbandonAsync(message);
            return (Settlement.Abandoned, null);
        }
        catch (Exception e)
        {
            LogUnexpected(e, message.View.MessageId);
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            span?.Dispose();
            await AbandonAsync(message);
            return (Settlement.Abandoned, null);
        }

        if (outcome.Result is DispatchResult.Delivered or DispatchResult.DeadLettered)
        {
            _ = AckAsync(message, span);
            return (Settlement.Acked, outcome.LastAttempt);
        }

        await HandBackAsync(message, outcome.LastAttempt, span, deliveries);
        return (Settlement.HandedBack, outcome.LastAttempt);
    }

    private async Task<DispatchOutcome> DispatchAsync(InFlightMessage message, TraceHeaders trace, CancellationToken deliveries)
    {
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = converter.Convert(message.View);
        }
        catch (MessageConversionException e)
        {
            LogUnconvertible(message.View.MessageId, e.Message);
            var reason = new AttemptResult(null, Encoding.UTF8.GetBytes(e.Message), null, e.Message);
            return e.DeadLetterEvent is null
                ? new DispatchOutcome(DispatchResult.Undelivered, reason)
                : await dispatcher.DeadLetterAsync(e.DeadLetterEvent, reason, trace, deliveries);
        }

        return await dispatcher.DispatchAsync(cloudEvent, trace, deliveries);
    }

    private async Task AckAsync(InFlightMessage message, Activity? span)
    {
        await StopRenewingAsync(message);
        await acks.AckAsync(message.View);
        span?.Dispose();
        Settle(Settlement.Acked);
    }

    /// <summary>
    /// Asks RocketMQ to make the message visible again after a delay growing with its delivery
    /// attempts, so the group's max delivery attempts and %DLQ% take over.
    /// </summary>
    private async Task HandBackAsync(InFlightMessage message, AttemptResult reason, Activity? span, CancellationToken deliveries)
    {
        await StopRenewingAsync(message);
        try
        {
            var delay = HandBackPolicy.DelayFor(message.View.DeliveryAttempt, options.HandBackDelay);
            await source.ChangeInvisibleDurationAsync(message.View, delay, deliveries);
            telemetry.HandedBack(reason);
            DeliveryTracing.Event(span, "handed_back", reason.StatusCode);
            span?.SetStatus(ActivityStatusCode.Error, "not delivered: handed back to RocketMQ");
            LogHandedBack(message.View.MessageId, reason.CodeLabel);
        }
        catch (OperationCanceledException) when (deliveries.IsCancellationRequested)
        {
            LogAbandoned(message.View.MessageId);
        }
        catch (Exception e)
        {
            // It still comes back, only later: when its current invisible duration lapses.
            LogHandBackFailed(e, message.View.MessageId);
        }

        span?.Dispose();

        Settle(Settlement.HandedBack);
    }

    private async Task AbandonAsync(InFlightMessage message)
    {
        await StopRenewingAsync(message);
        Settle(Settlement.Abandoned);
    }

    private async Task StopRenewingAsync(InFlightMessage message)
    {
        lock (held)
        {
            held.Remove(message);
        }

        await message.StopRenewing();
    }

    private void Settle(Settlement settlement)
    {
        telemetry.Released();
        settled.Writer.TryWrite(settlement);
    }

    /// <summary>For the oldest-in-flight gauge: how long ago the longest-held message was received.</summary>
    private TimeSpan? OldestHeldAge()
    {
        DateTimeOffset? oldest = null;
        lock (held)
        {
            foreach (var message in held)
            {
                if (oldest is null || message.ReceivedAt < oldest)
                {
                    oldest = message.ReceivedAt;
                }
            }
        }

        return time.GetUtcNow() - oldest;
    }

    /// <summary>The timer's check: renews every held message that could lapse before the next check.</summary>
    private void RenewDue()
    {
        var now = time.GetUtcNow();
        List<InFlightMessage> due;
        lock (held)
        {
            due = [.. held.Where(message => InvisibilityPlanner.RenewalDue(now, message.InvisibleUntil, renewalMargin))];
        }

        foreach (var message in due)
        {
            message.Renew(() => RenewAsync(message, now));
        }
    }

    private async Task RenewAsync(InFlightMessage message, DateTimeOffset now)
    {
        try
        {
            await source.ChangeInvisibleDurationAsync(message.View, options.InvisibleDuration, CancellationToken.None);
            message.InvisibleUntil = now + options.InvisibleDuration;
        }
        catch (Exception e)
        {
            // Delivery goes on: at worst RocketMQ redelivers the message and the sink sees it twice.
            LogRenewFailed(e, message.View.MessageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "message {MessageId} handed back to RocketMQ (last response {ResponseCode})")]
    private partial void LogHandedBack(string messageId, string responseCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not hand message {MessageId} back; it returns after its invisible duration")]
    private partial void LogHandBackFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not renew the invisible duration of message {MessageId}")]
    private partial void LogRenewFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "message {MessageId} cannot be converted to an event: {Reason}")]
    private partial void LogUnconvertible(string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "delivery of message {MessageId} abandoned at shutdown; it returns after its invisible duration")]
    private partial void LogAbandoned(string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "delivery of message {MessageId} failed unexpectedly; it returns after its invisible duration")]
    private partial void LogUnexpected(Exception exception, string messageId);
}
