using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// Collects delivered messages and acks them in batches: a batch goes out when it is full or
/// when the first message in it has waited <c>linger</c>. Up to <see cref="MaxConcurrentAcks"/>
/// ack requests run at once, so one ack round trip does not hold every slot. A message's
/// in-flight slot is given back only after its ack was sent.
/// </summary>
internal sealed partial class AckBatcher
{
    /// <summary>Ack requests in flight at once (measured: one at a time capped the drain rate at the ack round trip).</summary>
    public const int MaxConcurrentAcks = 4;

    private readonly Channel<HeldMessage> pending = Channel.CreateUnbounded<HeldMessage>(new() { SingleReader = true });
    private readonly IMessageSource source;
    private readonly int maxBatch;
    private readonly TimeSpan linger;
    private readonly AdapterMetrics metrics;
    private readonly ILogger logger;
    private readonly SemaphoreSlim sending = new(MaxConcurrentAcks, MaxConcurrentAcks);

    public AckBatcher(IMessageSource source, int maxBatch, TimeSpan linger, AdapterMetrics metrics, ILogger logger)
    {
        this.source = source;
        this.maxBatch = maxBatch;
        this.linger = linger;
        this.metrics = metrics;
        this.logger = logger;
    }

    public void Enqueue(HeldMessage message)
    {
        if (!pending.Writer.TryWrite(message))
        {
            // Only after Complete(): the message is not acked and comes back after its invisible duration.
            message.Release();
        }
    }

    /// <summary>No more acks will be enqueued; RunAsync sends what is left and returns.</summary>
    public void Complete() => pending.Writer.TryComplete();

    /// <summary>Sends batches until <see cref="Complete"/> was called and everything was sent, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<HeldMessage>(maxBatch);
        try
        {
            while (await pending.Reader.WaitToReadAsync(cancellationToken))
            {
                await FillBatchAsync(batch, cancellationToken);
                await sending.WaitAsync(cancellationToken);
                _ = SendThenFreeAsync(batch, cancellationToken);
                batch = new List<HeldMessage>(maxBatch);
            }
        }
        catch (OperationCanceledException)
        {
            // Abandoned: these messages were delivered but stay un-acked, so RocketMQ delivers them again.
            batch.ForEach(message => message.Release());
            while (pending.Reader.TryRead(out var left))
            {
                left.Release();
            }
        }

        // Every send slot back means every ack request started above has finished.
        for (var i = 0; i < MaxConcurrentAcks; i++)
        {
            await sending.WaitAsync(CancellationToken.None);
        }

        sending.Release(MaxConcurrentAcks);
    }

    private async Task SendThenFreeAsync(List<HeldMessage> batch, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(batch, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Abandoned mid-request: SendAsync released the messages; RocketMQ delivers them again.
        }
        finally
        {
            sending.Release();
        }
    }

    private async Task FillBatchAsync(List<HeldMessage> batch, CancellationToken cancellationToken)
    {
        using var lingerTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lingerStarted = false;
        while (batch.Count < maxBatch)
        {
            if (pending.Reader.TryRead(out var message))
            {
                batch.Add(message);
                continue;
            }

            if (!lingerStarted)
            {
                lingerStarted = true;
                lingerTimeout.CancelAfter(linger);
            }

            try
            {
                if (!await pending.Reader.WaitToReadAsync(lingerTimeout.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SendAsync(List<HeldMessage> batch, CancellationToken cancellationToken)
    {
        try
        {
            var refused = await source.AckAsync([.. batch.Select(held => held.Message)], cancellationToken);
            foreach (var message in refused)
            {
                metrics.AckFailures.Increment();
                LogAckRefused(message.MessageId);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                metrics.AckFailures.Increment();
            }

            LogAckFailed(e, batch.Count);
        }
        finally
        {
            batch.ForEach(message => message.Release());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RocketMQ refused the ack of message {MessageId}; it will be delivered again")]
    private partial void LogAckRefused(string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "acking {Count} messages failed; they will be delivered again")]
    private partial void LogAckFailed(Exception exception, int count);
}
