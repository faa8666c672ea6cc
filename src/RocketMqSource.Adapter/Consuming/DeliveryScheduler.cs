using System.Diagnostics;
using System.Threading.Channels;
using CloudNative.CloudEvents;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// Runs the deliveries of the messages the consume loop holds: convert, dispatch, end. Messages
/// of one message group go one at a time in receive order (when ordered), everything else in
/// parallel. While a message is held its invisibility is renewed before it could lapse. A failed
/// delivery's end is <see cref="MessageEnds.Decide"/>'s; when a message is let go (acked after
/// delivery or dead-lettering, handed back, abandoned at shutdown) its <see cref="End"/> is counted,
/// logged unless delivered, and goes back to the loop through <see cref="Settled"/>.
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
    private readonly Channel<End> settled = Channel.CreateUnbounded<End>(new() { SingleReader = true });
    private readonly Dictionary<string, Queue<InFlightMessage>> groups = new(StringComparer.Ordinal);
    private readonly HashSet<InFlightMessage> held = [];
    private readonly TimeSpan renewalMargin = RocketMqOptions.RenewalMarginFor(options.InvisibleDuration);
    private ITimer? renewals;

    /// <summary>One end per scheduled message, when the adapter has let go of it.</summary>
    public ChannelReader<End> Settled => settled.Reader;

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
            var (end, lastAttempt) = await DeliverAsync(current, deliveries);
            InFlightMessage? next = null;
            List<InFlightMessage> left = [];
            lock (groups)
            {
                var queue = groups[group];
                if (end is not (End.Delivered or End.DeadLettered) || !queue.TryDequeue(out next))
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
                if (end == End.HandedBack)
                {
                    await HandBackAsync(waiting, EndReason.GroupOrder, lastAttempt, $"message {current.View.MessageId} of its group was handed back", span: null, deliveries);
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
    /// Convert, dispatch and end one message, inside its consumer span (which ends when the
    /// message is let go); returns its end (Delivered or DeadLettered as soon as the ack is queued)
    /// and the last answer it got.
    /// </summary>
    private async Task<(End End, AttemptResult LastAttempt)> DeliverAsync(InFlightMessage message, CancellationToken deliveries)
    {
        var span = DeliveryTracing.Start(message.View, options.ConsumerGroup);
        var trace = DeliveryTracing.HeadersFor(span, message.View);
        DeliveryFailure failure;
        ConvertedEvent? converted = null;
        try
        {
            converted = converter.ConvertForDelivery(message.View);
            telemetry.BeforePost(time.GetUtcNow() - message.ReceivedAt);
            var last = await dispatcher.SendAsync(converted, trace, deliveries);
            if (last.Succeeded)
            {
                telemetry.Ended(End.Delivered, EndReason.Accepted);
                _ = AckAsync(message, span);
                return (End.Delivered, last);
            }

            failure = DeliveryFailure.FromSink(last, converted.ToCloudEvent());
        }
        catch (OperationCanceledException) when (deliveries.IsCancellationRequested)
        {
            failure = DeliveryFailure.Described(EndReason.Shutdown, "the adapter is stopping");
        }
        catch (MessageConversionException e)
        {
            failure = DeliveryFailure.Described(EndReason.Unconvertible, e.Message, e.DeadLetterEvent);
        }
        catch (EventEncodingException e)
        {
            // The dead-letter sink gets the plain mapping of the raw message, which always encodes.
            failure = DeliveryFailure.Described(EndReason.Unencodable, e.Message);
        }
        catch (Exception e)
        {
            failure = DeliveryFailure.Described(EndReason.Unexpected, e.Message, converted?.ToCloudEvent()) with { Exception = e };
        }

        var end = await EndFailedAsync(message, failure, span, trace, deliveries);
        return (end, failure.LastAttempt);
    }

    /// <summary>Carries out <see cref="MessageEnds.Decide"/> for a failed delivery: dead letter (then ack), hand back, or abandon.</summary>
    private async Task<End> EndFailedAsync(InFlightMessage message, DeliveryFailure failure, Activity? span, TraceHeaders trace, CancellationToken deliveries)
    {
        var view = message.View;
        var end = MessageEnds.Decide(failure.Reason, view.DeliveryAttempt, dispatcher.HasDeadLetterSink);
        var (reason, detail) = (failure.Reason, Describe(failure.LastAttempt));
        if (end == End.DeadLettered)
        {
            (end, reason, detail) = await DeadLetterAsync(message, failure, trace, deliveries);
        }

        if (failure.Exception is { } unexpected)
        {
            LogUnexpected(unexpected, view.MessageId, view.DeliveryAttempt, MessageEnds.UnexpectedFailureBound, Outcome(end, view));
        }

        switch (end)
        {
            case End.DeadLettered:
                LogDeadLettered(view.MessageId, MessageEnds.Label(reason), detail);
                telemetry.Ended(end, reason);
                _ = AckAsync(message, span);
                break;
            case End.HandedBack:
                await HandBackAsync(message, reason, failure.LastAttempt, detail, span, deliveries);
                break;
            default:
                LogAbandoned(view.MessageId);
                DeliveryTracing.Event(span, "abandoned", null);
                span?.Dispose();
                await AbandonAsync(message);
                break;
        }

        return end;
    }

    /// <summary>Sends the failed message's event to the dead-letter sink; a refusal there hands the message back instead.</summary>
    private async Task<(End End, EndReason Reason, string Detail)> DeadLetterAsync(InFlightMessage message, DeliveryFailure failure, TraceHeaders trace, CancellationToken deliveries)
    {
        try
        {
            var deadLetterEvent = failure.DeadLetterEvent ?? converter.DeadLetterEvent(message.View);
            var result = await dispatcher.DeadLetterAsync(deadLetterEvent, failure.LastAttempt, trace, deliveries);
            return result.Succeeded
                ? (End.DeadLettered, failure.Reason, Describe(failure.LastAttempt))
                : (End.HandedBack, EndReason.DeadLetterSinkFailed, $"{Describe(failure.LastAttempt)}; dead-letter sink: {Describe(result)}");
        }
        catch (OperationCanceledException) when (deliveries.IsCancellationRequested)
        {
            return (End.Abandoned, EndReason.Shutdown, "the adapter is stopping");
        }
        catch (Exception e)
        {
            return (End.HandedBack, EndReason.DeadLetterSinkFailed, $"{Describe(failure.LastAttempt)}; dead-letter event not sent: {e.Message}");
        }
    }

    private async Task AckAsync(InFlightMessage message, Activity? span)
    {
        await StopRenewingAsync(message);
        await acks.AckAsync(message.View);
        span?.Dispose();
        Settle(End.Delivered);
    }

    /// <summary>
    /// Asks RocketMQ to make the message visible again after a delay growing with its delivery
    /// attempts, so the group's max delivery attempts and %DLQ% take over.
    /// </summary>
    private async Task HandBackAsync(InFlightMessage message, EndReason reason, AttemptResult lastAttempt, string detail, Activity? span, CancellationToken deliveries)
    {
        await StopRenewingAsync(message);
        var delay = HandBackPolicy.DelayFor(message.View.DeliveryAttempt, options.HandBackDelay);
        telemetry.Ended(End.HandedBack, reason);
        telemetry.HandedBack(lastAttempt);
        LogHandedBack(message.View.MessageId, MessageEnds.Label(reason), detail, delay.TotalSeconds);
        try
        {
            await source.ChangeInvisibleDurationAsync(message.View, delay, deliveries);
            DeliveryTracing.Event(span, "handed_back", lastAttempt.StatusCode);
            span?.SetStatus(ActivityStatusCode.Error, "not delivered: handed back to RocketMQ");
        }
        catch (OperationCanceledException) when (deliveries.IsCancellationRequested)
        {
            // Stopping: it comes back after its invisible duration instead.
        }
        catch (Exception e)
        {
            // It still comes back, only later: when its current invisible duration lapses.
            LogHandBackFailed(e, message.View.MessageId);
        }

        span?.Dispose();
        Settle(End.HandedBack);
    }

    private async Task AbandonAsync(InFlightMessage message)
    {
        await StopRenewingAsync(message);
        telemetry.Ended(End.Abandoned, EndReason.Shutdown);
        Settle(End.Abandoned);
    }

    private async Task StopRenewingAsync(InFlightMessage message)
    {
        lock (held)
        {
            held.Remove(message);
        }

        await message.StopRenewing();
    }

    private void Settle(End end)
    {
        telemetry.Released();
        settled.Writer.TryWrite(end);
    }

    /// <summary>The last answer in words: the sink's status code, or the error when there was none.</summary>
    private static string Describe(AttemptResult result) =>
        result.StatusCode is { } code ? $"last response {code}" : result.Error ?? "no response";

    private static string Outcome(End end, MessageView view) => end switch
    {
        End.DeadLettered => "dead-lettered",
        End.HandedBack when view.DeliveryAttempt < MessageEnds.UnexpectedFailureBound => "handed back to RocketMQ to try again",
        End.HandedBack => "handed back to RocketMQ for good (its max delivery attempts and %DLQ% take over)",
        _ => "abandoned",
    };

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "message {MessageId} handed back to RocketMQ ({Reason}: {Detail}); redelivered in {DelaySeconds}s")]
    private partial void LogHandedBack(string messageId, string reason, string detail, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "message {MessageId} dead-lettered ({Reason}: {Detail})")]
    private partial void LogDeadLettered(string messageId, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not hand message {MessageId} back; it returns after its invisible duration")]
    private partial void LogHandBackFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not renew the invisible duration of message {MessageId}")]
    private partial void LogRenewFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "delivery of message {MessageId} abandoned at shutdown; it returns after its invisible duration")]
    private partial void LogAbandoned(string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "delivery of message {MessageId} failed unexpectedly at delivery attempt {DeliveryAttempt} (a dead letter from attempt {Bound}); {Outcome}")]
    private partial void LogUnexpected(Exception exception, string messageId, int deliveryAttempt, int bound, string outcome);
}
