using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// Acks delivered messages in batches: a batch goes out when it is full or when the first message
/// in it has waited <c>linger</c>. Up to <see cref="MaxConcurrentAcks"/> ack requests run at once,
/// so one ack round trip does not hold every delivery.
/// </summary>
internal sealed partial class AckBatcher(
    IMessageSource source, int maxBatch, TimeSpan linger, AdapterTelemetry telemetry, TimeProvider time, ILogger logger)
{
    /// <summary>Ack requests in flight at once (measured: one at a time capped the drain rate at the ack round trip).</summary>
    public const int MaxConcurrentAcks = 4;

    private readonly Channel<PendingAck> pending = Channel.CreateUnbounded<PendingAck>(new() { SingleReader = true });
    private readonly SemaphoreSlim sending = new(MaxConcurrentAcks, MaxConcurrentAcks);

    /// <summary>Queues the ack; the task completes when its request has ended (or the ack was abandoned at shutdown).</summary>
    public Task AckAsync(MessageView message)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!pending.Writer.TryWrite(new PendingAck(message, done, time.GetTimestamp())))
        {
            // Only after Complete(): not acked, so it comes back after its invisible duration.
            done.SetResult();
        }

        return done.Task;
    }

    /// <summary>No more acks will be queued; RunAsync sends what is left and returns.</summary>
    public void Complete() => pending.Writer.TryComplete();

    /// <summary>Sends batches until <see cref="Complete"/> was called and everything was sent, or <paramref name="abandon"/> fires.</summary>
    public async Task RunAsync(CancellationToken abandon)
    {
        var batch = new List<PendingAck>(maxBatch);
        try
        {
            while (await pending.Reader.WaitToReadAsync(abandon))
            {
                await FillBatchAsync(batch, abandon);
                await sending.WaitAsync(abandon);
                _ = SendThenFreeAsync(batch, abandon);
                batch = new List<PendingAck>(maxBatch);
            }
        }
        catch (OperationCanceledException)
        {
            // Abandoned: delivered but not acked, so RocketMQ delivers these messages again.
            batch.ForEach(ack => ack.Done.TrySetResult());
            while (pending.Reader.TryRead(out var left))
            {
                left.Done.TrySetResult();
            }
        }

        // Every send slot back means every ack request started above has finished.
        for (var i = 0; i < MaxConcurrentAcks; i++)
        {
            await sending.WaitAsync(CancellationToken.None);
        }

        sending.Release(MaxConcurrentAcks);
    }

    private async Task FillBatchAsync(List<PendingAck> batch, CancellationToken abandon)
    {
        using var lingering = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(abandon, lingering.Token);
        var lingerStarted = false;
        while (batch.Count < maxBatch)
        {
            if (pending.Reader.TryRead(out var ack))
            {
                batch.Add(ack);
                continue;
            }

            if (linger <= TimeSpan.Zero)
            {
                return;
            }

            if (!lingerStarted)
            {
                lingerStarted = true;
                lingering.CancelAfter(linger);
            }

            try
            {
                if (!await pending.Reader.WaitToReadAsync(waiting.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!abandon.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SendThenFreeAsync(List<PendingAck> batch, CancellationToken abandon)
    {
        foreach (var ack in batch)
        {
            telemetry.BeforeAck(time.GetElapsedTime(ack.QueuedAt));
        }

        try
        {
            var refused = await source.AckAsync([.. batch.Select(ack => ack.Message)], abandon);
            telemetry.AcksFailed(refused.Count);
            foreach (var message in refused)
            {
                LogAckRefused(message.MessageId);
            }
        }
        catch (OperationCanceledException)
        {
            // Abandoned mid-request: RocketMQ delivers these messages again.
        }
        catch (Exception e)
        {
            telemetry.AcksFailed(batch.Count);

            LogAckFailed(e, batch.Count);
        }
        finally
        {
            batch.ForEach(ack => ack.Done.TrySetResult());
            sending.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RocketMQ refused the ack of message {MessageId}; it will be delivered again")]
    private partial void LogAckRefused(string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "acking {Count} messages failed; they will be delivered again")]
    private partial void LogAckFailed(Exception exception, int count);

    private readonly record struct PendingAck(MessageView Message, TaskCompletionSource Done, long QueuedAt);
}
