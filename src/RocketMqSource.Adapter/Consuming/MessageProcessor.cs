using System.Text;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>How the adapter let go of a message.</summary>
internal enum Settlement
{
    /// <summary>Delivered or dead-lettered, and queued for ack.</summary>
    Acked,

    /// <summary>Given back to RocketMQ to be delivered again soon.</summary>
    HandedBack,

    /// <summary>Left alone (shutdown or an unexpected error): it returns after its invisible duration.</summary>
    Abandoned,
}

/// <summary>How a message was settled, with the sink's last response code (the metrics label).</summary>
internal readonly record struct SettlementResult(Settlement Settlement, string ResponseCode);

/// <summary>Delivers one message (convert, apply K_CE_OVERRIDES, dispatch) and settles it.</summary>
internal sealed partial class MessageProcessor(
    IMessageConverter converter,
    IReadOnlyDictionary<string, string> ceOverrides,
    EventDispatcher dispatcher,
    IMessageSource source,
    AckBatcher acks,
    TimeSpan handBackDelay,
    AdapterMetrics metrics,
    ILogger logger)
{
    public async Task<SettlementResult> ProcessAsync(HeldMessage held, IInvisibilityLease lease, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await DeliverAsync(held.Message, lease, cancellationToken);
            if (outcome.Result is DispatchResult.Delivered or DispatchResult.DeadLettered)
            {
                acks.Enqueue(held);
                return new(Settlement.Acked, outcome.LastAttempt.CodeLabel);
            }

            await HandBackAsync(held, outcome.LastAttempt.CodeLabel, cancellationToken);
            return new(Settlement.HandedBack, outcome.LastAttempt.CodeLabel);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogAbandoned(held.Message.MessageId);
            held.Release();
            return new(Settlement.Abandoned, "none");
        }
        catch (Exception e)
        {
            LogUnexpected(e, held.Message.MessageId);
            held.Release();
            return new(Settlement.Abandoned, "none");
        }
    }

    /// <summary>
    /// Asks RocketMQ to make the message visible again after a delay growing with its delivery
    /// attempts, so the group's max delivery attempts and %DLQ% take over.
    /// </summary>
    public async Task HandBackAsync(HeldMessage held, string responseCode, CancellationToken cancellationToken)
    {
        try
        {
            var delay = HandBackPolicy.DelayFor(held.Message.DeliveryAttempt, handBackDelay);
            await source.ChangeInvisibleDurationAsync(held.Message, delay, cancellationToken);
            metrics.HandedBack.Increment(responseCode);
            LogHandedBack(held.Message.MessageId, responseCode);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // It still comes back, only later: when its current invisible duration lapses.
            LogHandBackFailed(e, held.Message.MessageId);
        }
        catch (OperationCanceledException)
        {
            LogAbandoned(held.Message.MessageId);
        }
        finally
        {
            held.Release();
        }
    }

    private async Task<DispatchOutcome> DeliverAsync(ReceivedMessage message, IInvisibilityLease lease, CancellationToken cancellationToken)
    {
        IOutgoingEvent outgoing;
        try
        {
            outgoing = converter.Convert(message);
        }
        catch (MessageConversionException e)
        {
            LogUnconvertible(message.MessageId, e.Message);
            var reason = new AttemptResult(null, Encoding.UTF8.GetBytes(e.Message), null, e.Message);
            return e.DeadLetterEvent is null
                ? new DispatchOutcome(DispatchResult.Undelivered, reason)
                : await dispatcher.DeadLetterAsync(e.DeadLetterEvent, reason, lease, cancellationToken);
        }

        if (ceOverrides.Count > 0)
        {
            outgoing = outgoing.WithExtensions(ceOverrides);
        }

        return await dispatcher.DispatchAsync(outgoing, lease, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "message {MessageId} handed back to RocketMQ (last response {ResponseCode})")]
    private partial void LogHandedBack(string messageId, string responseCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not hand message {MessageId} back; it returns after its invisible duration")]
    private partial void LogHandBackFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "message {MessageId} cannot be converted to an event: {Reason}")]
    private partial void LogUnconvertible(string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "delivery of message {MessageId} abandoned at shutdown; it returns after its invisible duration")]
    private partial void LogAbandoned(string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "delivery of message {MessageId} failed unexpectedly; it returns after its invisible duration")]
    private partial void LogUnexpected(Exception exception, string messageId);
}
