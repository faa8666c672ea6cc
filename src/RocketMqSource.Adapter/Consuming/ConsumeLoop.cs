using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// Long-polls RocketMQ in batches while there is room (never holding more than max in-flight
/// messages), hands each message to the scheduler, and on stop drains within the grace period
/// before abandoning what is left (it comes back after its invisible duration).
/// </summary>
internal sealed partial class ConsumeLoop
{
    private readonly IMessageSource source;
    private readonly DeliveryScheduler scheduler;
    private readonly AckBatcher acks;
    private readonly ConsumeOptions options;
    private readonly AdapterMetrics metrics;
    private readonly ReadinessState readiness;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim slots;

    public ConsumeLoop(IMessageSource source, DeliveryScheduler scheduler, AckBatcher acks, ConsumeOptions options,
        AdapterMetrics metrics, ReadinessState readiness, TimeProvider time, ILogger logger)
    {
        this.source = source;
        this.scheduler = scheduler;
        this.acks = acks;
        this.options = options;
        this.metrics = metrics;
        this.readiness = readiness;
        this.time = time;
        this.logger = logger;
        slots = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
    }

    /// <summary>Consumes until <paramref name="stopping"/> fires, then drains and returns.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var abandon = new CancellationTokenSource();
        var ackLoop = acks.RunAsync(abandon.Token);
        try
        {
            await StartSourceAsync(stopping);
            readiness.ConsumingStarted();
            LogConsuming(options.Topic, options.ConsumerGroup);
            await ReceiveUntilStoppedAsync(stopping, abandon.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stop requested while starting or receiving.
        }
        finally
        {
            readiness.ConsumingStopped();
            using var grace = new CancellationTokenSource(options.ShutdownGracePeriod, time);
            using var abandonAtDeadline = grace.Token.Register(abandon.Cancel);
            await DrainAsync(grace.Token);
            acks.Complete();
            await ackLoop;
            slots.Dispose();
        }
    }

    private async Task ReceiveUntilStoppedAsync(CancellationToken stopping, CancellationToken deliveries)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            await slots.WaitAsync(stopping);
            var granted = 1;
            while (granted < options.BatchSize && slots.Wait(0))
            {
                granted++;
            }

            IReadOnlyList<ReceivedMessage> messages;
            try
            {
                messages = await source.ReceiveAsync(granted, options.InvisibleDuration, stopping);
                failures = 0;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                slots.Release(granted);
                failures++;
                var delay = ReceiveRetryDelay(failures);
                LogReceiveFailed(e, delay.TotalSeconds);
                await Task.Delay(delay, time, stopping);
                continue;
            }
            catch (OperationCanceledException)
            {
                slots.Release(granted);
                throw;
            }

            // RocketMQ started the invisible duration when it popped the messages, just before
            // answering; the lease's safety margin covers the response's travel time.
            Hold(messages, granted, time.GetUtcNow(), deliveries);
        }
    }

    private void Hold(IReadOnlyList<ReceivedMessage> messages, int granted, DateTimeOffset receivedAt, CancellationToken deliveries)
    {
        // A source returning more than asked would break the in-flight bound: the extra ones are
        // left to come back after their invisible duration.
        var taken = Math.Min(messages.Count, granted);
        if (messages.Count > granted)
        {
            LogTooMany(messages.Count, granted);
        }

        if (granted > taken)
        {
            slots.Release(granted - taken);
        }

        for (var i = 0; i < taken; i++)
        {
            metrics.Received.Increment();
            metrics.InFlight.Increment();
            var held = new HeldMessage(messages[i], receivedAt + options.InvisibleDuration, ReleaseSlot);
            scheduler.Schedule(held, deliveries);
        }
    }

    private void ReleaseSlot()
    {
        metrics.InFlight.Decrement();
        slots.Release();
    }

    private async Task StartSourceAsync(CancellationToken stopping)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await source.StartAsync(stopping);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                var delay = ReceiveRetryDelay(failures);
                LogStartFailed(e, delay.TotalSeconds);
                await Task.Delay(delay, time, stopping);
            }
        }
    }

    /// <summary>Waits until every held message is settled or the grace period ends (which abandons the rest).</summary>
    private async Task DrainAsync(CancellationToken grace)
    {
        var started = time.GetTimestamp();
        try
        {
            // Every slot back means every held message was acked, handed back or abandoned.
            for (var i = 0; i < options.MaxInFlight; i++)
            {
                await slots.WaitAsync(grace);
            }

            slots.Release(options.MaxInFlight);
        }
        catch (OperationCanceledException)
        {
            LogAbandoning(metrics.InFlight.Value, options.ShutdownGracePeriod.TotalSeconds);
        }

        await scheduler.WhenIdleAsync();
        LogDrained(time.GetElapsedTime(started).TotalMilliseconds);
    }

    private TimeSpan ReceiveRetryDelay(int failures)
    {
        var delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures - 1, 10)));
        return delay < options.MaxReceiveRetryDelay ? delay : options.MaxReceiveRetryDelay;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "consuming topic={Topic} group={ConsumerGroup}")]
    private partial void LogConsuming(string topic, string consumerGroup);

    [LoggerMessage(Level = LogLevel.Warning, Message = "receiving from RocketMQ failed; retrying in {DelaySeconds}s")]
    private partial void LogReceiveFailed(Exception exception, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "connecting to RocketMQ failed; retrying in {DelaySeconds}s")]
    private partial void LogStartFailed(Exception exception, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RocketMQ returned {Count} messages for a request of {Granted}; the extra ones are left to come back")]
    private partial void LogTooMany(int count, int granted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "abandoning {InFlight} messages not settled within the {GraceSeconds}s grace period; RocketMQ delivers them again")]
    private partial void LogAbandoning(long inFlight, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped consuming; drained in {ElapsedMs} ms")]
    private partial void LogDrained(double elapsedMs);
}
